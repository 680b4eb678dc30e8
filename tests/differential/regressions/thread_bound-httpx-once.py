# differential: failed when saved: thread exceptions [] -> ['RuntimeError']; output '(200, 31)\n[(200, 31)]\n' -> '(200, 31)\n[]\n'
import threading

import httpx


def summary(r):
    return r.status_code, len(r.content)


def later(go, out, fn, *args):
    go.wait()
    out.append(summary(fn(*args)))


def run(url):
    for _ in range(1):
        s = httpx.Client()
        go, out = threading.Event(), []
        t = threading.Thread(target=later, args=(go, out, s.get, url + "small"))
        t.start()
        print(summary(s.get(url + "small")))
        go.set()
        t.join()
        print(out)


def main(url):
    run(url)
