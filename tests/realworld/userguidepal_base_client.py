# Source: Julio-Onna/UserGuidePal user_doc/base_client.py (adapted window)
import aiohttp


class BaseClient:
    def __init__(self):
        self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession()  # expect: CCL006:29
        return self._session
