# differential: failed when saved: output '200\n32\n' -> '200\n0\n'
import requests


def run(url):
    r = requests.get(url + "chunked", stream=True)
    walk = r.iter_content
    print(r.status_code)
    print(sum(len(p) for p in walk(4)))


def main(url):
    run(url)
