# differential: --unsafe-fixes
# differential: failed when saved: exception None -> RuntimeError; output '[(200, 31), (200, 31), (200, 31)]\n' -> ''
import httpx


def summary(r):
    return r.status_code, len(r.content)


def sizes(url):
    return (summary(httpx.get(url + "small")) for _ in range(3))


def run(url):
    print(list(sizes(url)))


def main(url):
    run(url)
