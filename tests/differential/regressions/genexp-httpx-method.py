# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> ''
import httpx


def summary(r):
    return r.status_code, len(r.content)


class Job:
    def run(self, url):
        s = httpx.Client()
        it = (s.get(url + "small") for _ in range(2))
        for r in it:
            print(summary(r))


def main(url):
    Job().run(url)
