# differential: failed when saved: exception None -> ReadError; output '200\n32\n' -> '200\n'
import asyncio

import httpx


async def run(url):
    s = httpx.AsyncClient()
    r = await s.send(s.build_request("GET", url + "slow"), stream=True)
    print(r.status_code)
    print(len(await r.aread()))


def main(url):
    asyncio.run(run(url))
