# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> ''
import httpx


def summary(r):
    return r.status_code, len(r.content)


def pages(c, u):
    for _ in range(2):
        yield c.get(u)


def run(url):
    s = httpx.Client()
    it = pages(s, url + "small")
    for r in it:
        print(summary(r))


def main(url):
    run(url)
