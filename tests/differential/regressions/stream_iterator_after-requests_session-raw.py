# differential: failed when saved: output '200\n32\n' -> '200\n0\n'
import requests


def run(url):
    with requests.Session() as s:
        r = s.get(url + "chunked", stream=True)
        it = r.raw
        print(r.status_code)
        print(len(it.read()))


def main(url):
    run(url)
