# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n' -> ''
import asyncio

import httpx


def summary(r):
    return r.status_code, len(r.content)


async def make(url, flag):
    s = httpx.AsyncClient()
    if flag:
        return s.get
    print(summary(await s.get(url + "small")))
    return None


async def run(url):
    g = await make(url, True)
    if g is not None:
        print(summary(await g(url + "small")))


def main(url):
    asyncio.run(run(url))
