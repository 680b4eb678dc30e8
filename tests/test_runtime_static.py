"""The static rules and the runtime companion speak one language: the rule
fixtures' functions, run against a 127.0.0.1 server under the runtime
tracker, leak at the lines and with the codes `check_source` reports; what
the fixer fixed leaks nothing.

A run sees only the path it takes. Where a static finding has no leak at
run time, the function is listed in ``UNSEEN`` with the reason, and the test
pins that too.
"""

from __future__ import annotations

import ast
import asyncio
import http.server
import importlib.util
import inspect
import json
import threading
from pathlib import Path
from types import ModuleType
from typing import Callable, Iterator

import pytest
import requests

from flake8_connclose.engine import check_source
from flake8_connclose.fixes import apply_fixes
from flake8_connclose.runtime import Owner, Tracker

FIXTURES = Path(__file__).parent / "fixtures"
# Valid JSON for the fixtures' `.json()`, larger than one read, so that a
# stream read only in part still holds its connection.
BODY = json.dumps({"pad": "x" * 200_000}).encode()

# Functions whose leak the run shows at the static rule's line and code.
AGREE = {
    "ccl001": ["httpx_client", "aiohttp_session", "passed_to_helper"],
    "ccl002": ["on_session", "on_annotated_parameter"],
}
# Near misses: neither face reports anything.
CLEAN = {
    "ccl001": ["with_statement", "with_later", "async_with", "async_with_later",
               "closing_wrapper", "contextlib_closing", "exit_stack", "finally_close",
               "finally_guarded_close", "finally_aclose", "finally_await_close"],
    "ccl002": ["with_response", "finally_close", "closing_response", "not_streaming",
               "httpx_with", "stream_variable_not_literal"],
}
# Static findings a run does not show, and why.
UNSEEN = {
    "ccl002": {
        "download": "the body is read to its end, which gives the connection back",
        "inline": "both bodies are read to their end",
        "lines_read_here": "the lines are read to the end",
        "happy_path_close": "closed on the path this run takes; an exception would skip it",
        "httpx_stream_outside_with": "read to its end, and closed when the context manager "
                                     "is collected",
        "httpx_client_stream": "`client.stream()` never entered sends nothing; the sent "
                               "stream is read to its end",
        "async_client_stream": "as httpx_client_stream, with an async client",
    },
}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _reply(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    do_GET = do_POST = _reply  # noqa: N815 (the stdlib's names)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a stream closed early resets its connection: expected


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def tracker() -> Iterator[Tracker]:
    tracker = Tracker()
    tracker.install()
    try:
        yield tracker
    finally:
        tracker.uninstall()


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_runtime_static_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _static(source: str, name: str) -> set[tuple[int, str]]:
    """(line, code) of the findings inside function ``name``."""
    node = next(n for n in ast.walk(ast.parse(source))
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name)
    return {(f.line, f.code) for f in check_source(source)
            if node.lineno <= f.line <= (node.end_lineno or node.lineno)}


def _runtime(tracker: Tracker, module: ModuleType, name: str, url: str,
             tmp_path: Path) -> set[tuple[int, str]]:
    """(line, code) of what calling ``name`` leaks in ``module``'s own lines."""
    with requests.Session() as session:  # made before the owner: not the function's
        arguments: dict[str, Callable[[], object]] = {
            "url": lambda: url, "urls": lambda: [url], "path": lambda: tmp_path / "out",
            "session": lambda: session, "stream": lambda: False}
        function = getattr(module, name)
        values = [arguments[p]() for p in inspect.signature(function).parameters]
        owner = tracker.owner = Owner(name)
        try:
            result = function(*values)
            if inspect.iscoroutine(result):
                asyncio.run(result)
        finally:
            tracker.owner = None
        del result
    return {(leak.site.line, leak.observed.code) for leak in tracker.take(owner)
            if leak.site.path == module.__file__}


def _cases(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(rule, name) for rule, names in table.items() for name in names]


@pytest.mark.parametrize("rule, name", _cases(AGREE) + _cases(CLEAN),
                         ids=[f"{r}-{n}" for r, n in _cases(AGREE) + _cases(CLEAN)])
def test_a_run_leaks_where_the_rule_says(rule: str, name: str, tracker: Tracker, url: str,
                                         tmp_path: Path) -> None:
    path = FIXTURES / f"{rule}.py"
    static = _static(path.read_text(encoding="utf-8"), name)
    assert bool(static) == (name in AGREE[rule])
    assert _runtime(tracker, _load(path), name, url, tmp_path) == static


@pytest.mark.parametrize("rule, name", _cases({k: list(v) for k, v in UNSEEN.items()}),
                         ids=[f"{r}-{n}" for r, names in UNSEEN.items() for n in names])
def test_what_a_run_does_not_show(rule: str, name: str, tracker: Tracker, url: str,
                                  tmp_path: Path) -> None:
    path = FIXTURES / f"{rule}.py"
    assert _static(path.read_text(encoding="utf-8"), name), "the rule reports it"
    assert _runtime(tracker, _load(path), name, url, tmp_path) == set(), UNSEEN[rule][name]


@pytest.mark.parametrize("rule", sorted(AGREE))
def test_fixed_code_leaks_nothing(rule: str, tracker: Tracker, url: str,
                                  tmp_path: Path) -> None:
    source = (FIXTURES / f"{rule}.py").read_text(encoding="utf-8")
    fixed = apply_fixes(source, check_source(source)).source
    path = tmp_path / f"{rule}_fixed.py"
    path.write_text(fixed, encoding="utf-8")
    module = _load(path)
    names = AGREE[rule] + list(UNSEEN.get(rule, {}))
    fixed_names = [name for name in names if not _static(fixed, name)]
    assert set(AGREE[rule]) <= set(fixed_names)  # the fixer fixed every leak a run showed
    for name in fixed_names:
        assert _runtime(tracker, module, name, url, tmp_path) == set(), name
