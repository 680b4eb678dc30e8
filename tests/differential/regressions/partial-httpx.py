# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> '(200, 31)\n'
import functools

import httpx


def summary(r):
    return r.status_code, len(r.content)


def run(url):
    s = httpx.Client()
    f = functools.partial(s.get, url + "small")
    print(summary(s.get(url + "small")))
    print(summary(f()))


def main(url):
    run(url)
