# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> '(200, 31)\n'
import httpx


def summary(r):
    return r.status_code, len(r.content)


class Job:
    def run(self, url):
        s = httpx.Client()
        t = None or s
        print(summary(s.get(url + "small")))
        print(summary(t.get(url + "small")))


def main(url):
    Job().run(url)
