"""The loopback HTTP server the differential programs talk to.

Bound to 127.0.0.1 only, on a free port. Every answer is deterministic, so a
program's output depends on what it does, never on timing. Paths:

- ``/small``: a short body with a Content-Length;
- ``/chunked``: ``CHUNKS`` chunks in chunked transfer encoding, so iterators
  and raw reads have several pieces to walk through;
- ``/slow``: the same chunks, each after a pause, so a client cannot have
  the whole body buffered by the time it is closed (closing an httpx or
  aiohttp client under an open response then fails every time, not by chance);
- ``/json``: a JSON document;
- ``/big``: a body larger than one socket read, so a half-read stream holds
  its connection;
- ``/echo``: the request's ``X-Tag`` header, to show which session sent it;
- anything else: 404 with a short body.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import sys
import threading
import time
from typing import Iterator

SMALL = b"hello from the loopback server\n"
CHUNKS = [b"chunk-%d|" % i for i in range(4)]
JSON = json.dumps({"items": [1, 2, 3], "name": "difftest"}).encode()
BIG = b"x" * 200_000


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        path = self.path.split("?", 1)[0]
        if path in ("/chunked", "/slow"):
            self._chunked(pause=0.02 if path == "/slow" else 0.0)
        elif path == "/echo":
            self._send(200, self.headers.get("X-Tag", "none").encode(), "text/plain")
        else:
            bodies = {"/small": (SMALL, "text/plain"), "/json": (JSON, "application/json"),
                      "/big": (BIG, "application/octet-stream")}
            body, kind = bodies.get(path, (b"not found\n", "text/plain"))
            self._send(200 if path in bodies else 404, body, kind)

    do_POST = do_GET  # noqa: N815 (the stdlib's name); the body sent is ignored

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _chunked(self, pause: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for chunk in CHUNKS:
            time.sleep(pause)
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # keep the test output quiet


class LoopbackServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    connections = 0  # TCP connections accepted, to show reuse

    def process_request(self, request: object, client_address: object) -> None:
        self.connections += 1
        super().process_request(request, client_address)  # type: ignore[arg-type]

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that stops reading a stream early resets the connection:
        # expected here, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


@contextlib.contextmanager
def serving(
    handler: type[http.server.BaseHTTPRequestHandler] = Handler,
) -> Iterator[LoopbackServer]:
    """A server on 127.0.0.1 and a free port, shut down on exit."""
    server = LoopbackServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
