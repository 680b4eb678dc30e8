# Source: jeremymcrae/dnm_cohorts dnm_cohorts/download_file.py (adapted window)

import requests

def download_file(url, path):
    r = requests.get(url, stream=True)  # expect: CCL002:9
    if r.status_code == 200:
        with open(path, 'wb') as f:
            for chunk in r.iter_content(1600):
                f.write(chunk)
