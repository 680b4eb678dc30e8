# differential: failed when saved: exception None -> RuntimeError; output 'start\n(200, 31)\n' -> 'start\n'
import httpx


def summary(r):
    return r.status_code, len(r.content)


def run(url):
    s = httpx.Client()
    g = s.get
    try:
        print("start")
    finally:
        print(summary(g(url + "small")))


def main(url):
    run(url)
