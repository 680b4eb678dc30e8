# differential: failed when saved: exception None -> RuntimeError; output 'ValueError (200, 31)\n' -> ''
import httpx


def summary(r):
    return r.status_code, len(r.content)


def run(url):
    s = httpx.Client()
    g = s.get
    try:
        raise ValueError("boom")
    except ValueError as e:
        print(type(e).__name__, summary(g(url + "small")))


def main(url):
    run(url)
