# differential: failed when saved: exception None -> RuntimeError; output 'True\n(200, 31)\n(200, 31)\n' -> 'True\n(200, 31)\n'
import asyncio

import httpx


def summary(r):
    return r.status_code, len(r.content)


async def run(url):
    s = httpx.AsyncClient()
    print((t := s) is not None)
    print(summary(await s.get(url + "small")))
    print(summary(await t.get(url + "small")))


def main(url):
    asyncio.run(run(url))
