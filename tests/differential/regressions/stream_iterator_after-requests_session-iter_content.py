# differential: failed when saved: output '200\n32\n' -> '200\n0\n'
import requests


def run(url):
    with requests.Session() as s:
        r = s.get(url + "chunked", stream=True)
        it = r.iter_content(4)
        print(r.status_code)
        print(sum(len(p) for p in it))


def main(url):
    run(url)
