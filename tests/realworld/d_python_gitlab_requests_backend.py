# Source: python-gitlab/python-gitlab gitlab/http_backends/requests_backend.py (adapted window)
# Labelled from the SPEC before the engine ran: the fallback `session or requests.Session()` is
# creation stored on self; the class has no close of _client (closing it from the
# Gitlab object outside this class is not the class's cleanup): CCL006.
from typing import Optional

import requests


class RequestsBackend:
    def __init__(
        self,
        session: Optional[requests.Session] = None,
        timeout: Optional[float] = None,
    ) -> None:
        self._client: requests.Session = session or requests.Session()  # expect: CCL006:53
        self._timeout: Optional[float] = timeout

    @property
    def client(self) -> requests.Session:
        return self._client

    @property
    def timeout(self) -> Optional[float]:
        return self._timeout
