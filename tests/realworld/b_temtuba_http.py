# Source: TemTubaAqui/tem-tuba-aqui-api app/shared/utils/http.py (adapted window)
import requests

def download_file(url: str, path: str):
    r = requests.get(url, stream=True)  # expect: CCL002:9
    with open(path, 'wb') as f:
        for chunk in r.iter_content(chunk_size=1024): 
            if chunk:
                f.write(chunk)
