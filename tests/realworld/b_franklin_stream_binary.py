# Source: franklinokech/pythonlearner web_scrapping/advance_web_scrapping/request_stream_binary_data.py (adapted window)
import requests

url = 'http://www.webscrapingfordatascience.com/files/kitten.jpg'

r = requests.get(  # expect: CCL002:5
    url,
    stream=True
)

with open('my_cat_stream.jpg', 'wb') as my_file:
    # Read by 4 KB chunk
    for byte_chunk in r.iter_content(chunk_size=4096):
        my_file.write(byte_chunk)
