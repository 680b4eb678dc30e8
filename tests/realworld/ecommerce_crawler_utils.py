# Source: archit0/ecommerce-crawler crawler/amazon/utils.py (adapted window)
# realworld: CCL901 (this window opts in to the off-by-default rule)
import requests

HEADERS = {
    'User-Agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/39.0.2171.95 Safari/537.36'
}


s = requests.Session()  # expect: CCL901:5

def get(url):
    return s.get(
        url,
        headers=HEADERS
    ).content
