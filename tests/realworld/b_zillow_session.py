# Source: asburywg/zillow-refactored zillow/session.py (adapted window)
import requests


# Request session wrapper
class Session:
    headers = {
        'accept': 'text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,image/apng,*/*;q=0.8',
        'accept-encoding': 'gzip, deflate, br',
        'accept-language': 'en-US,en;q=0.8',
        'upgrade-insecure-requests': '1',
        'user-agent': 'Mozilla/5.0 (Linux; Android 4.4.4; Nexus 5 Build/KTU84P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/66.0.3359.126 Mobile Safari/537.36'
    }

    def __init__(self):
        self.session = requests.Session()  # expect: CCL006:24

    def get(self, url):
        return self.session.get(url, headers=self.headers)
