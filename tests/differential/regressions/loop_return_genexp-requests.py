# differential: --unsafe-fixes
# differential: failed when saved: left more open: {} -> {'requests.Session': 1}
import requests


def summary(r):
    return r.status_code, len(r.content)


def sizes(url):
    return (summary(requests.get(url + "small")) for _ in range(3))


def run(url):
    print(list(sizes(url)))


def main(url):
    run(url)
