# differential: failed when saved: exception None -> RuntimeError; output '(200, 31)\n(200, 31)\n' -> '(200, 31)\n'
import asyncio

import httpx


def summary(r):
    return r.status_code, len(r.content)


class Job:
    async def run(self, url):
        s = httpx.AsyncClient()
        handlers = {"get": s.get}
        print(summary(await s.get(url + "small")))
        print(summary(await handlers["get"](url + "small")))


def main(url):
    asyncio.run(Job().run(url))
