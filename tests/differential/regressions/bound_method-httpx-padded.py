# differential: failed when saved: exception None -> RuntimeError; output 'begin\n(200, 31)\n(200, 31)\nend\n' -> 'begin\n(200, 31)\n'
import httpx


def summary(r):
    return r.status_code, len(r.content)


def run(url):
    print("begin")
    s = httpx.Client()
    g = s.get
    print(summary(s.get(url + "small")))
    print(summary(g(url + "small")))
    print("end")


def main(url):
    run(url)
