# differential: failed when saved: exception None -> StopIteration; output '4\n28\n' -> ''
import requests


def run(url):
    with requests.Session() as s:
        r = s.get(url + "chunked", stream=True)
        it = r.iter_content(4)
        first = next(it)
        print(len(first))
        print(sum(len(p) for p in it))


def main(url):
    run(url)
