# Source: facundoq/experiments rotation/data/util.py (adapted window)
import requests
import shutil

def download_file(url,filepath):
    with requests.get(url, stream=True) as r:
        with open(filepath, 'wb') as f:
            shutil.copyfileobj(r.raw, f)
