# Source: pypi-data/pypi-mirror-276 packages/kwnn/kwnn-1.0.4-py3-none-any.whl/kwnn/_client.py (adapted window)
# Labelled from the SPEC before the engine ran: an httpx.Client stored on self with no close
# anywhere in the class: CCL006.
import httpx


class SyncAPIClient:
    _request: httpx.Client

    def __init__(self, *, base_url: str, api_key: str, timeout: int = 120) -> None:
        self._request = httpx.Client(  # expect: CCL006:25
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=timeout,
        )
