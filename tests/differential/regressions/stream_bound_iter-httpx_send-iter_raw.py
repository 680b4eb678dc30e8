# differential: failed when saved: exception None -> StreamClosed; output '200\n32\n' -> '200\n'
import httpx


def run(url):
    with httpx.Client() as c:
        r = c.send(c.build_request("GET", url + "chunked"), stream=True)
        walk = r.iter_raw
        print(r.status_code)
        print(sum(len(p) for p in walk()))


def main(url):
    run(url)
