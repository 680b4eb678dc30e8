# differential: failed when saved: exception None -> RuntimeError; output '[(200, 31), (200, 31)]\n' -> ''
import asyncio

import aiohttp


async def summary(cm):
    async with cm as r:
        return r.status, len(await r.read())


async def fetch(c, u):
    return await summary(c.get(u))


async def run(url):
    s = aiohttp.ClientSession()
    coros = [fetch(s, url + "small") for _ in range(2)]
    print(await asyncio.gather(*coros))


def main(url):
    asyncio.run(run(url))
