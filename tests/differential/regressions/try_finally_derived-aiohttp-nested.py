# differential: failed when saved: exception None -> RuntimeError; output 'start\n(200, 31)\n' -> 'start\n'
import asyncio

import aiohttp


async def summary(cm):
    async with cm as r:
        return r.status, len(await r.read())


def main(url):
    async def inner():
        s = aiohttp.ClientSession()
        g = s.get
        try:
            print("start")
        finally:
            print(await summary(g(url + "small")))
    asyncio.run(inner())
