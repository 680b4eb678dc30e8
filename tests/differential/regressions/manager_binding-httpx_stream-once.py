# differential: failed when saved: exception None -> TypeError ('Response' object does not support the context manager protocol): a stream manager bound in an if block and entered later was reported and wrapped
import httpx


def run(url):
    for _ in range(1):
        cm = httpx.stream("GET", url + "chunked")
        with cm as r:
            print(r.status_code, len(r.read()))


def main(url):
    run(url)
