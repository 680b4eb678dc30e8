# Source: zyto45/CastoPriceChecker http_client.py (adapted window)
import requests


def send_get(url):
    return requests.get(url)


def send_get_with_session(url, header):
    s = requests.Session()  # expect: CCL001:9
    s.headers.update(header)
    return s.get(url)
