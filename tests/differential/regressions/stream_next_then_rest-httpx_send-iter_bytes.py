# differential: failed when saved: exception None -> StreamClosed; output '8\n24\n' -> ''
import httpx


def run(url):
    with httpx.Client() as c:
        r = c.send(c.build_request("GET", url + "chunked"), stream=True)
        it = r.iter_bytes()
        first = next(it)
        print(len(first))
        print(sum(len(p) for p in it))


def main(url):
    run(url)
