# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n(200, 31)\n' -> '(200, 31)\n(200, 31)\n'
import asyncio

import httpx


def summary(r):
    return r.status_code, len(r.content)


async def run(url):
    s = httpx.AsyncClient()
    for _ in range(2):
        print(summary(await s.get(url + "small")))
    g = s.get
    print(summary(await g(url + "small")))


def main(url):
    asyncio.run(run(url))
