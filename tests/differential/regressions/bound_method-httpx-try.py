# differential: failed when saved: output '(200, 31)\n(200, 31)\n' -> '(200, 31)\ncaught RuntimeError\n'
import httpx


def summary(r):
    return r.status_code, len(r.content)


def run(url):
    try:
        s = httpx.Client()
        g = s.get
        print(summary(s.get(url + "small")))
        print(summary(g(url + "small")))
    except Exception as e:
        print("caught", type(e).__name__)


def main(url):
    run(url)
