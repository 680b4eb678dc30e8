# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n(200, 31)\n' -> '(200, 31)\n(200, 31)\n'
import asyncio

import aiohttp


async def summary(cm):
    async with cm as r:
        return r.status, len(await r.read())


async def run(url):
    s = aiohttp.ClientSession()
    for _ in range(2):
        print(await summary(s.get(url + "small")))
    g = s.get
    print(await summary(g(url + "small")))


def main(url):
    asyncio.run(run(url))
