# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n' -> ''
import httpx


def summary(r):
    return r.status_code, len(r.content)


def make(url, flag):
    s = httpx.Client()
    if flag:
        return s.get
    print(summary(s.get(url + "small")))
    return None


class Job:
    def run(self, url):
        g = make(url, True)
        if g is not None:
            print(summary(g(url + "small")))


def main(url):
    Job().run(url)
