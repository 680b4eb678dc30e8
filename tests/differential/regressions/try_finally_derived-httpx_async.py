# differential: failed when saved: exception None -> RuntimeError; output 'start\n(200, 31)\n' -> 'start\n'
import asyncio

import httpx


def summary(r):
    return r.status_code, len(r.content)


async def run(url):
    s = httpx.AsyncClient()
    g = s.get
    try:
        print("start")
    finally:
        print(summary(await g(url + "small")))


def main(url):
    asyncio.run(run(url))
