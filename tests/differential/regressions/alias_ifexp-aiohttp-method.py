# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> '(200, 31)\n'
import asyncio

import aiohttp


async def summary(cm):
    async with cm as r:
        return r.status, len(await r.read())


class Job:
    async def run(self, url):
        s = aiohttp.ClientSession()
        t = s if url else None
        print(await summary(s.get(url + "small")))
        print(await summary(t.get(url + "small")))


def main(url):
    asyncio.run(Job().run(url))
