# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> '(200, 31)\n'
import httpx


def summary(r):
    return r.status_code, len(r.content)


def run(url):
    for _ in range(1):
        s = httpx.Client()
        g = s.get
        print(summary(s.get(url + "small")))
        print(summary(g(url + "small")))


def main(url):
    run(url)
