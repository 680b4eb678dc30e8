# Source: urroy9247/wipro rahul/PYTHON/Day-18/assignment3.py (adapted window)
import requests
 
 
urls = [
    "https://jsonplaceholder.typicode.com/posts/1",
    "https://jsonplaceholder.typicode.com/posts/2",
    "https://jsonplaceholder.typicode.com/posts/3"
]
 
responses = [requests.get(url).json() for url in urls]  # expect: CCL003:14
 
print(responses)
