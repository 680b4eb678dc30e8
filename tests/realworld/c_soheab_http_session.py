# Source: Soheab/normal_api.py normal_api/http.py (adapted window)
# Labeled from the SPEC before the engine ran: the awaited response is
# returned (escapes); close() closes the session. No finding.
import aiohttp


class HTTPSession:
    __slots__ = ("session", "loop")

    def __init__(self):
        self.session = None

    async def create_session(self):
        self.session = aiohttp.ClientSession()

    async def request(self, url, *, method="get", **kwargs):
        if self.session is None:
            await self.create_session()
        return await self.session.request(method, url, **kwargs)

    async def close(self):
        if self.session is not None and not self.session.closed:
            await self.session.close()
            self.session = None
