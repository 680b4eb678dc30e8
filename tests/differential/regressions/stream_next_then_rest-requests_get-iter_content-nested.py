# differential: failed when saved: exception None -> StopIteration; output '4\n28\n' -> ''
import requests


def main(url):
    def inner():
        r = requests.get(url + "chunked", stream=True)
        it = r.iter_content(4)
        first = next(it)
        print(len(first))
        print(sum(len(p) for p in it))
    inner()
