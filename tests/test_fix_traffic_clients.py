"""Proof with real traffic for the standard library, urllib3 and websockets
rows: each original snippet leaves sockets open against a loopback server,
its fixed version none, and both print the same thing.

The HTTP server is ``test_fix_traffic``'s (127.0.0.1, a free port); the
websockets server is an echo server on 127.0.0.1 in a thread of this process.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Iterator

import pytest
from test_fix_traffic import HARNESS as SESSION_HARNESS
from test_fix_traffic import _leaks, _run, _Server, server, server_url  # noqa: F401 (fixtures)

from flake8_connclose.engine import check_source
from flake8_connclose.fixes import apply_fixes

# Run after the program's own code. The objects that own a socket are kept
# alive, so that neither reference counting nor the garbage collector closes
# what the program forgot; whatever sockets are open when `main` returns
# were never closed.
HARNESS = """

if __name__ == "__main__":
    import os
    import sys

    _kept = []

    def _keep(cls):
        init = cls.__init__

        def __init__(self, *args, **kwargs):
            init(self, *args, **kwargs)
            _kept.append(self)

        cls.__init__ = __init__

    import http.client
    _keep(http.client.HTTPConnection)
    _keep(http.client.HTTPResponse)
    if "urllib3" in sys.modules:
        import urllib3
        _keep(urllib3.PoolManager)
        _keep(urllib3.HTTPConnectionPool)
        _keep(urllib3.HTTPResponse)
    if "curl_cffi" in sys.modules:
        import curl_cffi
        _keep(curl_cffi.Session)
    if "websockets" in sys.modules:
        import websockets.asyncio.client
        import websockets.sync.client
        _keep(websockets.asyncio.client.ClientConnection)
        _keep(websockets.sync.client.ClientConnection)

    def _is_socket(fd):
        try:
            return os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:  # the descriptor listdir itself used
            return False

    main(sys.argv[1])
    _sockets = [fd for fd in os.listdir("/proc/self/fd") if _is_socket(fd)]
    if _sockets:
        print("LEAKED:", len(_sockets), "open sockets", file=sys.stderr)
"""

HTTP_PROGRAMS = {
    "ccl002_urlopen_bound": """
        from urllib.request import urlopen


        def main(url):
            response = urlopen(url, timeout=5)
            first = response.read(1024)
            print("first chunk", len(first))
    """,
    "ccl002_urlopen_inline": """
        import urllib.request


        def main(url):
            first = urllib.request.urlopen(url, timeout=5).read(1024)
            print("first chunk", len(first))
    """,
    "ccl001_http_client": """
        import http.client
        from urllib.parse import urlsplit


        def main(url):
            parts = urlsplit(url)
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
            conn.request("GET", parts.path)
            body = conn.getresponse().read()
            print("fetched", len(body))
    """,
    "ccl001_ccl002_urllib3_manager_stream": """
        import urllib3


        def main(url):
            http = urllib3.PoolManager()
            response = http.request("GET", url, preload_content=False)
            first = response.read(1024)
            print("first chunk", len(first))
    """,
    "ccl001_urllib3_pool": """
        import urllib3


        def main(url):
            pool = urllib3.connection_from_url(url, maxsize=1)
            sizes = [len(pool.request("GET", "/").data) for _ in range(2)]
            print(sizes)
    """,
    "ccl001_curl_cffi_session": """
        from curl_cffi import requests


        def main(url):
            session = requests.Session()
            sizes = [len(session.get(url).content) for _ in range(2)]
            print(sizes)
    """,
}

WEBSOCKET_PROGRAMS = {
    "ccl001_websockets_awaited_connect": """
        import asyncio

        import websockets


        async def talk(url):
            ws = await websockets.connect(url, open_timeout=5)
            await ws.send("hello")
            return await ws.recv()


        def main(url):
            print(asyncio.run(talk(url)))
    """,
    "ccl001_websockets_sync_connect": """
        from websockets.sync.client import connect


        def main(url):
            ws = connect(url, open_timeout=5)
            ws.send("hello")
            print(ws.recv())
    """,
}


def _prove(program: str, url: str, tmp_path: Path) -> None:
    original = textwrap.dedent(program).lstrip("\n") + HARNESS
    result = apply_fixes(original, check_source(original))
    assert result.fixed and not result.not_fixed, result.not_fixed
    assert check_source(result.source) == []
    before = _run(original, url, tmp_path, "original")
    after = _run(result.source, url, tmp_path, "fixed")
    assert before.returncode == 0, before.stderr
    assert after.returncode == 0, after.stderr
    assert _leaks(before), f"the original should leak:\n{before.stderr}"
    assert not _leaks(after), f"the fixed program still leaks:\n{after.stderr}"
    assert before.stdout == after.stdout != ""


@pytest.mark.parametrize("program", HTTP_PROGRAMS.values(), ids=list(HTTP_PROGRAMS))
def test_fix_stops_the_leak(program: str, server_url: str, tmp_path: Path) -> None:  # noqa: F811
    if "curl_cffi" in program:
        pytest.importorskip("curl_cffi")  # a binary wheel, not on every platform
    _prove(program, server_url, tmp_path)


@pytest.fixture(scope="module")
def websocket_url() -> Iterator[str]:
    pytest.importorskip("websockets")
    from websockets.sync.server import ServerConnection, serve

    def echo(connection: ServerConnection) -> None:
        for message in connection:
            connection.send(message)

    with serve(echo, "127.0.0.1", 0) as ws_server:
        thread = threading.Thread(target=ws_server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"ws://127.0.0.1:{ws_server.socket.getsockname()[1]}/"
        finally:
            ws_server.shutdown()


@pytest.mark.parametrize("program", WEBSOCKET_PROGRAMS.values(), ids=list(WEBSOCKET_PROGRAMS))
def test_websocket_fix_stops_the_leak(program: str, websocket_url: str, tmp_path: Path) -> None:
    _prove(program, websocket_url, tmp_path)


# A new user's script, as it would be written from the articles on closing
# connections: nothing added to it, no harness.
NEW_USER_SCRIPT = """\
import http.client
import sys
from urllib.parse import urlsplit
from urllib.request import urlopen


def fetch_with_urlopen(url):
    response = urlopen(url, timeout=5)
    return len(response.read(1024))


def fetch_with_http_client(url):
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.request("GET", parts.path)
    return len(conn.getresponse().read())


if __name__ == "__main__":
    print(fetch_with_urlopen(sys.argv[1]), fetch_with_http_client(sys.argv[1]))
"""


def _connclose(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flake8_connclose", *map(str, args)],
                          capture_output=True, text=True, timeout=60, check=False)


def test_new_user_sees_the_leaks_and_fix_removes_every_resource_warning(
        server_url: str, tmp_path: Path) -> None:  # noqa: F811
    script = tmp_path / "script.py"
    script.write_text(NEW_USER_SCRIPT, encoding="utf-8")
    before = _run(NEW_USER_SCRIPT, server_url, tmp_path, "before")

    check = _connclose(script)
    assert check.returncode == 1
    assert "CCL002 response from `urlopen()`" in check.stdout
    assert "CCL001 `http.client.HTTPConnection()` session `conn`" in check.stdout

    fixed = _connclose("--fix", script)
    assert fixed.returncode in (0, 1), fixed.stderr
    assert _connclose(script).returncode == 0
    after = _run(script.read_text(encoding="utf-8"), server_url, tmp_path, "after")

    assert before.returncode == after.returncode == 0, before.stderr + after.stderr
    assert before.stderr.count("ResourceWarning") > 0, before.stderr
    assert after.stderr.count("ResourceWarning") == 0, after.stderr
    assert before.stdout == after.stdout != ""


KEEP_ALIVE_PROGRAM = """
import requests


def main(base):
    with requests.Session() as session:
        session.keep_alive = False
        sizes = [len(session.get(base, timeout=5).content) for _ in range(3)]
    print(sizes)
"""


def test_keep_alive_false_did_nothing_and_the_fix_closes_each_connection(
        server: _Server, server_url: str, tmp_path: Path) -> None:  # noqa: F811
    """The original reuses one connection for its three requests, so
    `keep_alive = False` changed nothing; the fixed one asks the server to
    close each, which is what the line meant."""
    original = KEEP_ALIVE_PROGRAM + SESSION_HARNESS
    result = apply_fixes(original, check_source(original), unsafe=True)
    assert [f.code for f in result.fixed] == ["CCL007"]
    assert 'session.headers["Connection"] = "close"' in result.source
    server.connections = 0
    before = _run(original, server_url, tmp_path, "original")
    reused = server.connections
    server.connections = 0
    after = _run(result.source, server_url, tmp_path, "fixed")
    assert before.returncode == after.returncode == 0, before.stderr + after.stderr
    assert before.stdout == after.stdout != ""
    assert (reused, server.connections) == (1, 3)
    assert not _leaks(before) and not _leaks(after), before.stderr + after.stderr
