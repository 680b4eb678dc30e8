"""Fixes on the new rows: the same `with` as for requests, `contextlib.closing`
where the session has no context manager, `async with connect(...)` for an
awaited websocket, and CCL007's header (unsafe)."""

from __future__ import annotations

import pytest
from fixing import check_pair, d

from flake8_connclose.engine import check_source
from flake8_connclose.fixes import apply_fixes

PAIRS = {
    "urlopen_bound": (
        """
        from urllib.request import urlopen

        def f(u):
            r = urlopen(u)
            return r.read()
        """,
        """
        from urllib.request import urlopen

        def f(u):
            with urlopen(u) as r:
                return r.read()
        """,
    ),
    "urlopen_returned_inline": (
        """
        import urllib.request

        def f(u):
            return urllib.request.urlopen(u).read().decode()
        """,
        """
        import urllib.request

        def f(u):
            with urllib.request.urlopen(u) as response:
                return response.read().decode()
        """,
    ),
    "http_client_closing": (
        """
        from http import client

        def f(host):
            conn = client.HTTPSConnection(host)
            conn.request("GET", "/")
            body = conn.getresponse().read()
            conn.close()
            return body
        """,
        """
        from http import client
        import contextlib

        def f(host):
            with contextlib.closing(client.HTTPSConnection(host)) as conn:
                conn.request("GET", "/")
                body = conn.getresponse().read()
            return body
        """,
    ),
    "urllib3_manager_cleared_on_the_happy_path": (
        """
        import urllib3

        def f(u):
            http = urllib3.PoolManager()
            data = http.request("GET", u).data
            http.clear()
            return data
        """,
        """
        import urllib3

        def f(u):
            with urllib3.PoolManager() as http:
                data = http.request("GET", u).data
            return data
        """,
    ),
    "websockets_awaited_connect": (
        """
        import websockets

        async def f(u):
            ws = await websockets.connect(u)
            await ws.send("x")
            return await ws.recv()
        """,
        """
        import websockets

        async def f(u):
            async with websockets.connect(u) as ws:
                await ws.send("x")
                return await ws.recv()
        """,
    ),
    "websockets_sync_connect": (
        """
        from websockets.sync.client import connect

        def f(u):
            ws = connect(u)
            ws.send("x")
            ws.close()
        """,
        """
        from websockets.sync.client import connect

        def f(u):
            with connect(u) as ws:
                ws.send("x")
        """,
    ),
    "curl_cffi_async_session": (
        """
        from curl_cffi.requests import AsyncSession

        async def f(u):
            s = AsyncSession()
            r = await s.get(u)
            return r.text
        """,
        """
        from curl_cffi.requests import AsyncSession

        async def f(u):
            async with AsyncSession() as s:
                r = await s.get(u)
            return r.text
        """,
    ),
    # aiohttp: the request's own manager releases the response.
    "aiohttp_awaited_response": (
        """
        import aiohttp

        async def status(session: aiohttp.ClientSession, u):
            resp = await session.get(u)
            print(resp.headers["Content-Type"])
            return resp.status
        """,
        """
        import aiohttp

        async def status(session: aiohttp.ClientSession, u):
            async with session.get(u) as resp:
                print(resp.headers["Content-Type"])
                return resp.status
        """,
    ),
    "aiohttp_awaited_response_used_later": (
        """
        import aiohttp

        async def status(u):
            async with aiohttp.ClientSession() as session:
                resp = await session.post(u, data=b"x")
                code = resp.status
                print("sent")
                print(code, resp.reason)
        """,
        """
        import aiohttp

        async def status(u):
            async with aiohttp.ClientSession() as session:
                async with session.post(u, data=b"x") as resp:
                    code = resp.status
                    print("sent")
                    print(code, resp.reason)
        """,
    ),
    "aiohttp_awaited_response_handed_to_a_coroutine": (
        """
        import aiohttp

        async def get(session: aiohttp.ClientSession, u):
            resp = await session.get(u)
            await consume(resp)
        """,
        """
        import aiohttp

        async def get(session: aiohttp.ClientSession, u):
            async with session.get(u) as resp:
                await consume(resp)
        """,
    ),
}


@pytest.mark.parametrize("before, after", PAIRS.values(), ids=list(PAIRS))
def test_fixes(before: str, after: str) -> None:
    check_pair(before, after)


KEEP_ALIVE = """
import requests

class Api:
    def __init__(self):
        self.session = requests.Session()
        # folklore from requests 0.x
        self.session.keep_alive = False  # no connection reuse

    def close(self):
        self.session.close()
"""


def test_ccl007_is_unsafe_and_writes_the_header() -> None:
    source = d(KEEP_ALIVE)
    (finding,) = check_source(source)
    assert finding.code == "CCL007" and not finding.fixable
    safe = apply_fixes(source, [finding])
    assert safe.source == source and safe.not_fixed
    assert "--unsafe-fixes" in safe.not_fixed[0].reason
    unsafe = apply_fixes(source, [finding], unsafe=True)
    assert unsafe.source == source.replace(
        "self.session.keep_alive = False",
        'self.session.headers["Connection"] = "close"')
    assert check_source(unsafe.source) == []


def test_ccl007_chained_assignment_is_reported_but_not_rewritten() -> None:
    source = d("""
        import requests

        def f(a: requests.Session, b: requests.Session):
            a.keep_alive = b.keep_alive = False
        """)
    findings = check_source(source)
    assert [f.code for f in findings] == ["CCL007", "CCL007"]
    result = apply_fixes(source, findings, unsafe=True)
    assert result.source == source
    assert {n.reason for n in result.not_fixed} == {"the attribute is one of several targets"}


@pytest.mark.parametrize("source", [
    # An un-awaited websockets connect is entered later: nothing to wrap.
    "import websockets\n\nasync def f(u):\n    c = websockets.connect(u)\n"
    "    async with c as ws:\n        await ws.send('x')\n",
    # An aiohttp session is never awaited into existence.
    "import aiohttp\n\nasync def f(u):\n    s = aiohttp.ClientSession()\n"
    "    try:\n        return await s.get(u)\n    finally:\n        await s.close()\n",
])
def test_no_finding_no_rewrite(source: str) -> None:
    assert check_source(source) == []


@pytest.mark.parametrize("source, reason", [
    ("""
        import aiohttp

        async def get(session: aiohttp.ClientSession, u):
            resp = await session.get(u)
            print(resp.status)
            return resp
        """, None),  # the caller's to release
    ("""
        import aiohttp

        def get(session: aiohttp.ClientSession, u):
            resp = session.get(u)
            return resp
        """, None),  # not awaited: nothing sent, nothing to release
    ("""
        import aiohttp

        async def get(session: aiohttp.ClientSession, u, v):
            resp = await session.get(u)
            print(resp.status)
            resp = await session.get(v)
            print(resp.status)
        """, "`resp` is rebound"),
    ("""
        import aiohttp

        async def get(session: aiohttp.ClientSession, u):
            resp = await session.get(u)
            def code():
                return resp.status
            print(code())
        """, None),  # captured by a closure, which may outlive the call
])
def test_aiohttp_response_fix_refusals(source: str, reason: str | None) -> None:
    """A response that outlives the statements an `async with` would hold
    is not fixed, and one that is not the function's to release is no finding."""
    result = apply_fixes(d(source), check_source(d(source)))
    assert result.source == d(source) and not result.fixed
    if reason is None:
        assert check_source(d(source)) == []
    else:
        assert result.not_fixed and all(reason in n.reason for n in result.not_fixed)
