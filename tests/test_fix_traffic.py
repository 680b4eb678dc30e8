"""Proof with real traffic: each original snippet leaks against a local
server, its fixed version does not, and both print the same thing.

The server binds 127.0.0.1 on a free port and is shut down after the tests;
every loop in the snippets is bounded.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import textwrap
import threading
from typing import Iterator

import pytest

from differential.server import LoopbackServer as _Server
from flake8_connclose.engine import check_source
from flake8_connclose.fixes import apply_fixes

BODY = b"x" * 200_000  # larger than one read, so a half-read stream holds its socket


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(BODY)))
        if self.headers.get("Connection", "").lower() == "close":
            # As real servers answer (RFC 9112, 9.6): without it the client
            # may send its next request on the socket being closed.
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # keep the test output quiet


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def server_url(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/"


# Run after the program's own code: counts the sessions, clients and streamed
# responses the program opens and never closes. It keeps them alive, so the
# garbage collector cannot quietly close what the program forgot.
HARNESS = """

if __name__ == "__main__":
    import sys

    _open = {}

    def _track(cls, label):
        init, close, exit_ = cls.__init__, cls.close, cls.__exit__

        def __init__(self, *args, **kwargs):
            init(self, *args, **kwargs)
            _open[id(self)] = (label, self)

        def _close(self, *args, **kwargs):
            _open.pop(id(self), None)
            return close(self, *args, **kwargs)

        def __exit__(self, *args):
            _open.pop(id(self), None)
            return exit_(self, *args)

        cls.__init__, cls.close, cls.__exit__ = __init__, _close, __exit__

    def _track_streams(cls, response_cls):
        send = cls.send

        def _send(self, *args, **kwargs):
            response = send(self, *args, **kwargs)
            if kwargs.get("stream"):
                _open[id(response)] = ("stream", response)
            return response

        cls.send = _send
        close = response_cls.close

        def _close(self, *args, **kwargs):
            _open.pop(id(self), None)
            return close(self, *args, **kwargs)

        response_cls.close = _close

    for _module in ("requests", "httpx"):
        if _module in sys.modules:
            _lib = sys.modules[_module]
            _session = getattr(_lib, "Session", None) or _lib.Client
            _track(_session, _module + " session")
            _track_streams(_session, _lib.Response)

    main(sys.argv[1])
    for _label, _ in _open.values():
        print("LEAKED:", _label, file=sys.stderr)
"""

PROGRAMS = {
    "ccl001_paginated_client": """
        import requests


        def main(base):
            session = requests.Session()
            session.headers["Accept"] = "application/json"
            total = 0
            for page in range(3):
                total += len(session.get(base, params={"page": page}).content)
            print("fetched", total)
    """,
    "ccl001_httpx_client": """
        import httpx


        def main(base):
            client = httpx.Client(timeout=5)
            sizes = [len(client.get(base).content) for _ in range(2)]
            print(sizes)
    """,
    "ccl001_aiohttp_session": """
        import asyncio

        import aiohttp


        async def fetch(url):
            session = aiohttp.ClientSession()
            async with session.get(url) as response:
                body = await response.read()
            return len(body)


        def main(url):
            print(asyncio.run(fetch(url)))
    """,
    "ccl002_streaming_downloader": """
        import requests


        def main(url):
            response = requests.get(url, stream=True)
            response.raise_for_status()
            first = next(response.iter_content(chunk_size=1024))
            print("first chunk", len(first))
    """,
    "ccl002_inline_stream": """
        import requests


        def main(url):
            for chunk in requests.get(url, stream=True).iter_content(chunk_size=1024):
                print("first chunk", len(chunk))
                break
    """,
    "ccl002_httpx_send_stream": """
        import httpx


        def main(url):
            with httpx.Client() as client:
                request = client.build_request("GET", url)
                response = client.send(request, stream=True)
                first = next(response.iter_bytes(1024))
                print("first chunk", len(first))
    """,
    "ccl002_aiohttp_unreleased_response": """
        import asyncio

        import aiohttp


        async def status(session: aiohttp.ClientSession, url):
            response = await session.get(url)
            return response.status, response.content_type


        async def fetch(url):
            async with aiohttp.ClientSession() as session:
                print(await status(session, url))


        def main(url):
            asyncio.run(fetch(url))
    """,
    "ccl005_throwaway_session": """
        import requests


        def main(url):
            print(requests.Session().get(url).status_code)
    """,
}


def _run(program: str, url: str, tmp_path: object, name: str) -> subprocess.CompletedProcess[str]:
    path = os.path.join(str(tmp_path), f"{name}.py")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(program)
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = "127.0.0.1"
    return subprocess.run(
        [sys.executable, "-X", "dev", "-W", "always::ResourceWarning", path, url],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )


def _leaks(run: subprocess.CompletedProcess[str]) -> bool:
    return any(word in run.stderr for word in ("ResourceWarning", "Unclosed", "LEAKED:"))


@pytest.mark.parametrize("program", PROGRAMS.values(), ids=list(PROGRAMS))
def test_fix_stops_the_leak(program: str, server_url: str, tmp_path: object) -> None:
    original = textwrap.dedent(program).lstrip("\n") + HARNESS
    result = apply_fixes(original, check_source(original))
    assert result.fixed and not result.not_fixed, result.not_fixed
    before = _run(original, server_url, tmp_path, "original")
    after = _run(result.source, server_url, tmp_path, "fixed")
    assert before.returncode == 0, before.stderr
    assert after.returncode == 0, after.stderr
    assert _leaks(before), f"the original should leak:\n{before.stderr}"
    assert not _leaks(after), f"the fixed program still leaks:\n{after.stderr}"
    assert before.stdout == after.stdout != ""


LOOP_PROGRAM = """
import requests


def main(base):
    sizes = []
    for page in range(4):
        sizes.append(len(requests.get(base, params={"page": page}, timeout=5).content))
    print(sizes)
"""


HOIST_PROGRAM = """
import requests


def main(base):
    sizes = []
    for page in range(4):
        with requests.Session() as session:
            session.headers["Accept"] = "application/octet-stream"
            sizes.append(len(session.get(base, params={"page": page}, timeout=5).content))
    print(sizes)
"""


@pytest.mark.parametrize("program, code", [(LOOP_PROGRAM, "CCL003"), (HOIST_PROGRAM, "CCL004")],
                         ids=["ccl003_shared_session", "ccl004_hoisted_session"])
def test_loop_fix_reuses_one_connection(program: str, code: str, server: _Server,
                                        server_url: str, tmp_path: object) -> None:
    original = program + HARNESS
    result = apply_fixes(original, check_source(original), unsafe=True)
    assert [f.code for f in result.fixed] == [code]
    server.connections = 0
    before = _run(original, server_url, tmp_path, "original")
    per_call = server.connections
    server.connections = 0
    after = _run(result.source, server_url, tmp_path, "fixed")
    assert before.returncode == after.returncode == 0, before.stderr + after.stderr
    assert before.stdout == after.stdout != ""
    assert (per_call, server.connections) == (4, 1)
    assert not _leaks(after), after.stderr
