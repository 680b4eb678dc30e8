# differential: failed when saved: output '200\n32\n' -> '200\n0\n'
import requests


def run(url):
    try:
        r = requests.get(url + "chunked", stream=True)
        it = r.iter_content(4)
        print(r.status_code)
        print(sum(len(p) for p in it))
    except Exception as e:
        print("caught", type(e).__name__)


def main(url):
    run(url)
