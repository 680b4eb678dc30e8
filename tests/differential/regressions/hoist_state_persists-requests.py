# differential: --unsafe-fixes
# differential: failed when saved: output 'first\nnone\n' -> 'first\nfirst\n'
import requests


def run(url):
    for i in range(2):
        with requests.Session() as s:
            if i == 0:
                s.headers["X-Tag"] = "first"
            print(s.get(url + "echo").text)


def main(url):
    run(url)
