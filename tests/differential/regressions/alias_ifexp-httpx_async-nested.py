# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> '(200, 31)\n'
import asyncio

import httpx


def summary(r):
    return r.status_code, len(r.content)


def main(url):
    async def inner():
        s = httpx.AsyncClient()
        t = s if url else None
        print(summary(await s.get(url + "small")))
        print(summary(await t.get(url + "small")))
    asyncio.run(inner())
