# differential: failed when saved: exception None -> RuntimeError; output 'ValueError (200, 31)\n' -> ''
import asyncio

import aiohttp


async def summary(cm):
    async with cm as r:
        return r.status, len(await r.read())


async def run(url):
    s = aiohttp.ClientSession()
    g = s.get
    try:
        raise ValueError("boom")
    except ValueError as e:
        print(type(e).__name__, await summary(g(url + "small")))


def main(url):
    asyncio.run(run(url))
