# differential: failed when saved: exception None -> StreamClosed; output '200\n32\n' -> '200\n'
import httpx


def run(url):
    with httpx.Client() as c:
        r = c.send(c.build_request("GET", url + "chunked"), stream=True)
        it = r.iter_lines()
        print(r.status_code)
        print(sum(len(p) for p in it))


def main(url):
    run(url)
