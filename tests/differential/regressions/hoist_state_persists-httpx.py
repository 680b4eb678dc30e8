# differential: --unsafe-fixes
# differential: failed when saved: output 'first\nnone\n' -> 'first\nfirst\n'
import httpx


def run(url):
    for i in range(2):
        with httpx.Client() as s:
            if i == 0:
                s.headers["X-Tag"] = "first"
            print(s.get(url + "echo").text)


def main(url):
    run(url)
