# differential: failed when saved: exception None -> RuntimeError; output '[(200, 31), (200, 31)]\n' -> ''
import asyncio

import httpx


def summary(r):
    return r.status_code, len(r.content)


async def fetch(c, u):
    return summary(await c.get(u))


async def run(url):
    s = httpx.AsyncClient()
    coros = [fetch(s, url + "small") for _ in range(2)]
    print(await asyncio.gather(*coros))


def main(url):
    asyncio.run(run(url))
