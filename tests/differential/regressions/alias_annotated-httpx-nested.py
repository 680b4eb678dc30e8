# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> '(200, 31)\n'
import httpx


def summary(r):
    return r.status_code, len(r.content)


def main(url):
    def inner():
        s = httpx.Client()
        t: object = s
        print(summary(s.get(url + "small")))
        print(summary(t.get(url + "small")))
    inner()
