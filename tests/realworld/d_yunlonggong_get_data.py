# Source: YunlongGong/ad-injecting src/get_data.py (adapted window)
# Labelled from the SPEC before the engine ran: an inline urlopen(url).read() response is never
# closed: CCL002.
import urllib.request
import urllib.parse
from bs4 import BeautifulSoup


def get_data(url):
    response_str = urllib.request.urlopen(url).read().decode('utf-8')  # expect: CCL002:20
    soup = BeautifulSoup(response_str, 'html.parser')
    content_raw = soup.article.get_text()
    content = "".join(content_raw.split())
    return content
