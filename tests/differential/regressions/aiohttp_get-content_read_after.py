# differential: failed when saved: exception None -> ClientConnectionError; output '200\n32\n' -> '200\n'
import asyncio

import aiohttp


async def run(url):
    async with aiohttp.ClientSession() as s:
        r = await s.get(url + "chunked")
        it = r.content
        print(r.status)
        print(len(await it.read()))


def main(url):
    asyncio.run(run(url))
