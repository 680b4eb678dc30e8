# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> ''
import asyncio

import aiohttp


async def summary(cm):
    async with cm as r:
        return r.status, len(await r.read())


async def run(url):
    s = aiohttp.ClientSession()
    it = (s.get(url + "small") for _ in range(2))
    for r in it:
        print(await summary(r))


def main(url):
    asyncio.run(run(url))
