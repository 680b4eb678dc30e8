# differential: failed when saved: output '200\n32\n' -> '200\n0\n'
import requests


def run(url):
    r = requests.get(url + "chunked", stream=True)
    sizes = (len(p) for p in r.iter_content(4))
    print(r.status_code)
    print(sum(sizes))


def main(url):
    run(url)
