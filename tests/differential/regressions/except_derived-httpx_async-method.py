# differential: failed when saved: exception None -> RuntimeError; output 'ValueError (200, 31)\n' -> ''
import asyncio

import httpx


def summary(r):
    return r.status_code, len(r.content)


class Job:
    async def run(self, url):
        s = httpx.AsyncClient()
        g = s.get
        try:
            raise ValueError("boom")
        except ValueError as e:
            print(type(e).__name__, summary(await g(url + "small")))


def main(url):
    asyncio.run(Job().run(url))
