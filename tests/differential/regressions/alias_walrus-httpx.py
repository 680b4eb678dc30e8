# differential: failed when saved: exception None -> RuntimeError; output 'True\n(200, 31)\n(200, 31)\n' -> 'True\n(200, 31)\n'
import httpx


def summary(r):
    return r.status_code, len(r.content)


def run(url):
    s = httpx.Client()
    print((t := s) is not None)
    print(summary(s.get(url + "small")))
    print(summary(t.get(url + "small")))


def main(url):
    run(url)
