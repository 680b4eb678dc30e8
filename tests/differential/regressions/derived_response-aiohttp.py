# differential: failed when saved: exception None -> RuntimeError; output '200\n32\n' -> '200\n'
import asyncio

import aiohttp


async def run(url):
    s = aiohttp.ClientSession()
    r = await s.get(url + "slow")
    print(r.status)
    print(len(await r.read()))


def main(url):
    asyncio.run(run(url))
