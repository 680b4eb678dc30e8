# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> '(200, 31)\n'
import asyncio

import httpx


def summary(r):
    return r.status_code, len(r.content)


async def run(url):
    s = httpx.AsyncClient()
    t: object = s
    print(summary(await s.get(url + "small")))
    print(summary(await t.get(url + "small")))


def main(url):
    asyncio.run(run(url))
