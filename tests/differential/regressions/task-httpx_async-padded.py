# differential: failed when saved: exception None -> RuntimeError; output 'begin\n(200, 31)\nend\n' -> 'begin\n'
import asyncio

import httpx


def summary(r):
    return r.status_code, len(r.content)


async def fetch_after(go, c, u):
    await go.wait()
    return summary(await c.get(u))


async def run(url):
    print("begin")
    s = httpx.AsyncClient()
    go = asyncio.Event()
    task = asyncio.create_task(fetch_after(go, s, url + "small"))
    go.set()
    print(await task)
    print("end")


def main(url):
    asyncio.run(run(url))
