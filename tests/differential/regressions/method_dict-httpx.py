# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> '(200, 31)\n'
import httpx


def summary(r):
    return r.status_code, len(r.content)


def run(url):
    s = httpx.Client()
    handlers = {"get": s.get}
    print(summary(s.get(url + "small")))
    print(summary(handlers["get"](url + "small")))


def main(url):
    run(url)
