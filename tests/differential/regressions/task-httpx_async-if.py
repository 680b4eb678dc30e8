# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n' -> ''
import asyncio

import httpx


def summary(r):
    return r.status_code, len(r.content)


async def fetch_after(go, c, u):
    await go.wait()
    return summary(await c.get(u))


async def run(url):
    if url:
        s = httpx.AsyncClient()
        go = asyncio.Event()
        task = asyncio.create_task(fetch_after(go, s, url + "small"))
        go.set()
        print(await task)


def main(url):
    asyncio.run(run(url))
