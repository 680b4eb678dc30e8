# differential: failed when saved: output 'begin\n200\n32\nend\n' -> 'begin\n200\n0\nend\n'
import requests


def run(url):
    print("begin")
    r = requests.get(url + "chunked", stream=True)
    it = r.iter_content(4)
    print(r.status_code)
    print(sum(len(p) for p in it))
    print("end")


def main(url):
    run(url)
