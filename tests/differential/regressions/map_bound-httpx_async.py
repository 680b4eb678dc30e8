# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> ''
import asyncio

import httpx


def summary(r):
    return r.status_code, len(r.content)


async def run(url):
    s = httpx.AsyncClient()
    it = map(s.get, [url + "small"] * 2)
    for r in it:
        print(summary(await r))


def main(url):
    asyncio.run(run(url))
