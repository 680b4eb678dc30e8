"""Runs many generated programs in one process and reports what each did.

Started by ``runner.Worker`` as ``python worker.py``. Reads one JSON request a
line on stdin (``{"source": ..., "url": ...}``) and answers one JSON line on
the file descriptor that was stdout: what ``main(url)`` printed, the type
name of the exception it raised (if any) and of those raised in threads, and
how many sessions, clients and streamed responses it left open.

One process for hundreds of programs: the HTTP libraries are imported and
instrumented once, which is most of a run's cost (two shared cores).

Open resources are counted by instrumenting the libraries' own classes, not
by ResourceWarning: the tracker keeps every object alive until it has been
counted, so the garbage collector cannot quietly close what a program forgot.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import sys
import threading
import time
import traceback
import warnings
from typing import Any, Callable

import aiohttp
import httpx
import requests

# (label, object, is it still open?) for what the current program created.
_TRACKED: dict[int, tuple[str, Any, Callable[[Any], bool]]] = {}
_THREAD_ERRORS: list[str] = []


def _track(label: str, obj: Any, is_open: Callable[[Any], bool]) -> None:
    _TRACKED[id(obj)] = (label, obj, is_open)


def _wrap_init(cls: type, label: str, is_open: Callable[[Any], bool]) -> None:
    init = cls.__init__  # type: ignore[misc]

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        _track(label, self, is_open)

    cls.__init__ = __init__  # type: ignore[misc]


def _requests_session_open(session: Any) -> bool:
    return not getattr(session, "_difftest_closed", False)


def _requests_stream_open(response: Any) -> bool:
    # Read to its end, a requests response has given its connection back.
    raw = getattr(response, "raw", None)
    return (not getattr(response, "_difftest_closed", False)
            and getattr(raw, "_connection", None) is not None)


def _instrument_requests() -> None:
    session_cls, response_cls = requests.Session, requests.Response
    _wrap_init(session_cls, "requests.Session", _requests_session_open)
    close, send, response_close = session_cls.close, session_cls.send, response_cls.close

    def session_close(self: Any) -> None:
        self._difftest_closed = True
        close(self)

    def session_send(self: Any, request: Any, **kwargs: Any) -> Any:
        # A closed Session still sends, on new pools it never closes: open again.
        self._difftest_closed = False
        response = send(self, request, **kwargs)
        if kwargs.get("stream"):
            _track("requests stream", response, _requests_stream_open)
        return response

    def closing_response(self: Any) -> None:
        self._difftest_closed = True
        response_close(self)

    session_cls.close, session_cls.send = session_close, session_send  # type: ignore[method-assign]
    response_cls.close = closing_response  # type: ignore[method-assign]


def _instrument_httpx() -> None:
    def is_open(obj: Any) -> bool:
        return not obj.is_closed

    for cls, label in ((httpx.Client, "httpx.Client"), (httpx.AsyncClient, "httpx.AsyncClient")):
        _wrap_init(cls, label, is_open)
    send, asend = httpx.Client.send, httpx.AsyncClient.send

    def sync_send(self: Any, request: Any, **kwargs: Any) -> Any:
        response = send(self, request, **kwargs)
        if kwargs.get("stream"):
            _track("httpx stream", response, is_open)
        return response

    async def async_send(self: Any, request: Any, **kwargs: Any) -> Any:
        response = await asend(self, request, **kwargs)
        if kwargs.get("stream"):
            _track("httpx async stream", response, is_open)
        return response

    httpx.Client.send, httpx.AsyncClient.send = sync_send, async_send  # type: ignore[method-assign]


def _instrument_aiohttp() -> None:
    def is_open(obj: Any) -> bool:
        return not obj.closed

    _wrap_init(aiohttp.ClientSession, "aiohttp.ClientSession", is_open)
    _wrap_init(aiohttp.ClientResponse, "aiohttp response", is_open)


def _open_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for label, obj, is_open in _TRACKED.values():
        if is_open(obj):
            counts[label] = counts.get(label, 0) + 1
    return counts


def _cleanup() -> None:
    """Close what the program left open (sync objects only: its event loops
    are gone), so later programs do not inherit its sockets."""
    for _, obj, is_open in list(_TRACKED.values()):
        if is_open(obj) and not isinstance(obj, (httpx.AsyncClient, aiohttp.ClientSession,
                                                 aiohttp.ClientResponse)):
            with contextlib.suppress(Exception):
                obj.close()
    _TRACKED.clear()
    _THREAD_ERRORS.clear()


def _record_thread_error(args: threading.ExceptHookArgs) -> None:
    _THREAD_ERRORS.append(args.exc_type.__name__)


def run_program(source: str, url: str) -> dict[str, Any]:
    """Execute one program's ``main(url)`` and describe what it did."""
    out = io.StringIO()
    error = message = None
    started = time.perf_counter()
    namespace: dict[str, Any] = {"__name__": "__difftest__"}
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(source, "<program>", "exec"), namespace)
            namespace["main"](url)
    except BaseException as exc:  # noqa: B036 (SystemExit is an outcome too)
        error, message = type(exc).__name__, "".join(traceback.format_exception_only(exc))
    result = {"stdout": out.getvalue(), "error": error, "message": message,
              "thread_errors": sorted(_THREAD_ERRORS), "open": _open_counts(),
              "seconds": round(time.perf_counter() - started, 3)}
    _cleanup()
    return result


def main() -> None:
    # The protocol owns the real stdout; anything else written to fd 1 is dropped.
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    warnings.simplefilter("ignore")  # "Unclosed client session" and friends: counted, not printed
    threading.excepthook = _record_thread_error
    asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
    _instrument_requests()
    _instrument_httpx()
    _instrument_aiohttp()
    protocol.write(json.dumps({"ready": True}) + "\n")
    protocol.flush()
    for line in sys.stdin:
        request = json.loads(line)
        result = run_program(request["source"], request["url"])
        protocol.write(json.dumps(result) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
