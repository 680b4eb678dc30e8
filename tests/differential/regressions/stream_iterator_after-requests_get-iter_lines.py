# differential: failed when saved: output '200\n32\n' -> '200\n0\n'
import requests


def run(url):
    r = requests.get(url + "chunked", stream=True)
    it = r.iter_lines()
    print(r.status_code)
    print(sum(len(p) for p in it))


def main(url):
    run(url)
