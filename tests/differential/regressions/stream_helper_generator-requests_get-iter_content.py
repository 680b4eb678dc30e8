# differential: failed when saved: output '200\n32\n' -> '200\n0\n'
import requests


def pieces(it):
    yield from it


def run(url):
    r = requests.get(url + "chunked", stream=True)
    g = pieces(r.iter_content(4))
    print(r.status_code)
    print(sum(len(p) for p in g))


def main(url):
    run(url)
