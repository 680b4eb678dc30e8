# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> ''
import asyncio

import httpx


def summary(r):
    return r.status_code, len(r.content)


def pages(c, u):
    for _ in range(2):
        yield c.get(u)


async def run(url):
    s = httpx.AsyncClient()
    it = pages(s, url + "small")
    for r in it:
        print(summary(await r))


def main(url):
    asyncio.run(run(url))
