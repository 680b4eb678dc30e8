# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> '(200, 31)\n'
import httpx


def summary(r):
    return r.status_code, len(r.content)


def run(url):
    s = httpx.Client()
    t = None or s
    print(summary(s.get(url + "small")))
    print(summary(t.get(url + "small")))


def main(url):
    run(url)
