# Source: SEKOIA-IO/automation-library Cybereason/cybereason_modules/client/__init__.py (adapted window)
# Labeled from the SPEC before the engine ran: the client *is* a Session
# subclass; nothing is created and kept (no finding).
import requests
from requests.adapters import HTTPAdapter, Retry
from requests.auth import AuthBase


class ApiClient(requests.Session):
    def __init__(self, auth: AuthBase, nb_retries: int = 5):
        super().__init__()
        self.auth = auth
        self.mount(
            "https://",
            HTTPAdapter(
                max_retries=Retry(total=nb_retries, backoff_factor=1,
                                  status_forcelist=[429, 500, 502, 503, 504])
            ),
        )
