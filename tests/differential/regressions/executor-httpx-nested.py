# differential: failed when saved: exception None -> RuntimeError; output '[(200, 31)]\n' -> ''
import concurrent.futures
import threading

import httpx


def summary(r):
    return r.status_code, len(r.content)


def later(go, out, fn, *args):
    go.wait()
    out.append(summary(fn(*args)))


def main(url):
    def inner():
        s = httpx.Client()
        go, out = threading.Event(), []
        pool = concurrent.futures.ThreadPoolExecutor(1)
        future = pool.submit(later, go, out, s.get, url + "small")
        go.set()
        future.result()
        pool.shutdown()
        print(out)
    inner()
