# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n' -> ''
import asyncio

import aiohttp


async def summary(cm):
    async with cm as r:
        return r.status, len(await r.read())


async def fetch_after(go, c, u):
    await go.wait()
    return await summary(c.get(u))


async def run(url):
    s = aiohttp.ClientSession()
    go = asyncio.Event()
    task = asyncio.ensure_future(fetch_after(go, s, url + "small"))
    go.set()
    print(await task)


def main(url):
    asyncio.run(run(url))
