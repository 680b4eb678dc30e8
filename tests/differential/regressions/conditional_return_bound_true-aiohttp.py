# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n' -> ''
import asyncio

import aiohttp


async def summary(cm):
    async with cm as r:
        return r.status, len(await r.read())


async def make(url, flag):
    s = aiohttp.ClientSession()
    if flag:
        return s.get
    print(await summary(s.get(url + "small")))
    return None


async def run(url):
    g = await make(url, True)
    if g is not None:
        print(await summary(g(url + "small")))


def main(url):
    asyncio.run(run(url))
