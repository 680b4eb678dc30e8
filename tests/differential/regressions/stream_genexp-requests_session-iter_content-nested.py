# differential: failed when saved: output '200\n32\n' -> '200\n0\n'
import requests


def main(url):
    def inner():
        with requests.Session() as s:
            r = s.get(url + "chunked", stream=True)
            sizes = (len(p) for p in r.iter_content(4))
            print(r.status_code)
            print(sum(sizes))
    inner()
