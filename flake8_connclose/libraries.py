"""The table of HTTP libraries: one row each, no code of their own.

A new library is a new ``Library`` row in ``LIBRARIES``; the engine reads
nothing about a library from anywhere else.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator, Mapping

from flake8_connclose.settings import Settings

# The module-level calls that build and tear down a pool per call.
_VERBS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request"}
)


@dataclass(frozen=True)
class Observed:
    """How `pytest --connclose` and `flake8_connclose.trace` see one kind of
    object made and closed while a program runs.

    ``module`` is the library's public module: its classes are patched once
    the program has imported it (the runtime never imports it). Objects of
    ``cls`` are seen when ``cls.__init__`` returns, or, when ``made_by``
    (``"Class.method"`` in ``module``) is given, when that method returns one
    while its ``stream_keyword`` argument is true. Any of ``closers``
    returning closes the object, if ``closed_when`` (a dotted attribute, true
    once the object is closed or has given its connection back) agrees.
    """

    module: str
    cls: str
    label: str  # how a report names the object
    code: str  # the static rule that reports the same leak
    closers: tuple[str, ...]
    closed_when: str = ""
    made_by: str = ""
    stream_keyword: str = ""


@dataclass(frozen=True)
class Library:
    """What the engine, the rules and the planners know of one HTTP library.

    Names are relative to ``module``: ``sessions`` maps a constructor to
    whether it is asynchronous, ``aliases`` maps where a public name is also
    defined (``sessions.Session``) to the public name (``Session``).
    """

    module: str
    sessions: Mapping[str, bool]
    functional: frozenset[str] = _VERBS
    # Functional calls that only work as a context manager (`httpx.stream`).
    context_only: frozenset[str] = frozenset()
    # Are those context managers asynchronous (`async with aiohttp.request(...)`)?
    context_only_is_async: bool = False
    aliases: Mapping[str, str] = field(default_factory=dict)
    # The argument that makes a call return an open stream (`stream=True`),
    # and whether the functional API takes it as well as the session methods.
    stream_argument: tuple[str, object] = ("stream", True)
    functional_streams: bool = False
    # Session methods that only work as a context manager (`client.stream`).
    session_context_only: frozenset[str] = frozenset()
    # Session methods taking the stream argument (requests: the verbs; httpx: send).
    session_stream_methods: frozenset[str] = frozenset()
    # Session methods whose awaited response holds its connection until its
    # body is read or it is released (aiohttp: `resp = await s.get(u)`), and
    # the methods that read a body to its end (`await resp.read()`).
    released_responses: frozenset[str] = frozenset()
    body_readers: frozenset[str] = frozenset()
    # Does a streamed response support `with`? (requests yes, httpx no.)
    response_is_context_manager: bool = True
    # The methods that close the library's sessions, and its responses.
    close_methods: frozenset[str] = frozenset({"close"})
    response_close_methods: frozenset[str] = frozenset({"close"})
    # Attributes of a response that keep its connection in use (iterators, raw).
    stream_attributes: frozenset[str] = frozenset()
    # The session a loop of functional calls should share, and its usual name.
    loop_session: str = "Session"
    session_variable: str = "session"
    # Positional arguments each session method takes (`Session.get(url)`: 1).
    method_positional: Mapping[str, int] = field(default_factory=dict)
    # Arguments of the functional API that a session method does not take.
    client_only_arguments: frozenset[str] = frozenset()
    # Does a response stay readable once its session is closed? (requests:
    # a streamed response has its own connection; httpx and aiohttp: no.)
    responses_outlive_session: bool = True
    # Does an awaited request return a response still reading from the
    # session (aiohttp), rather than one whose body is read (httpx)?
    awaited_responses_stream: bool = False
    # Does what a session's methods return read from the session's own
    # connection (http.client: `conn.close()` closes `conn.getresponse()`)?
    results_hold_connection: bool = False
    # What a response gives that is plain data: using it needs nothing open.
    response_data: frozenset[str] = frozenset()
    # Closing a session closes what it was given under these arguments,
    # unless the flag beside each says it does not own it (aiohttp's
    # `connector=` and `connector_owner=False`).
    owned_arguments: Mapping[str, str] = field(default_factory=dict)
    # Closing a session closes its mounted adapters: the adapter classes known
    # to have a `close()` (a `BaseAdapter` without one raises NotImplementedError).
    closing_adapters: frozenset[str] = frozenset()
    # How the runtime companion sees the library's objects made and closed.
    observed: tuple[Observed, ...] = ()
    # A user's own factory or module: what it returns is not known.
    configured: bool = False
    # Module-level calls that return a response to close but share no pool,
    # so they are streams (CCL002) and never a pool per call (`urlopen`).
    responses: frozenset[str] = frozenset()
    # Can a session be entered with `with` (`http.client.HTTPConnection`
    # cannot: it is closed with `contextlib.closing`)?
    session_is_context_manager: bool = True
    # Is a constructor call a session only once awaited or entered with
    # `async with` (`await websockets.connect(u)`)? Then `x = await ctor(...)`
    # is fixed as `async with ctor(...) as x:`.
    session_needs_await: bool = False
    # Is a session built per loop iteration a waste (CCL004)? Not for
    # websockets, where a connection per iteration is a reconnect loop.
    session_in_loop_is_waste: bool = True
    # Does folklore set `session.keep_alive = False`, which the library never
    # reads (CCL007)?
    keep_alive_myth: bool = False

    def streams(self, call: ast.Call) -> bool:
        """Does ``call`` pass the stream argument (`stream=True`) as a literal?"""
        name, value = self.stream_argument
        return any(kw.arg == name and isinstance(kw.value, ast.Constant)
                   and kw.value.value is value for kw in call.keywords)

    def closes(self, session: bool) -> frozenset[str]:
        """The methods that close a session (or else a response) of this library."""
        return self.close_methods if session else self.response_close_methods

    @property
    def shares_a_sync_session(self) -> bool:
        """Can a loop of functional calls share one synchronous session?"""
        return not self.configured and self.sessions.get(self.loop_session) is False


def _observed_requests_like(module: str) -> tuple[Observed, ...]:
    return (
        Observed(module, "Session", f"{module}.Session()", "CCL001", ("close",)),
        # Every request goes through `Session.send`, the functional API too.
        # `raw.closed` is also true once the body was read to its end, which
        # gives the connection back to the pool.
        Observed(module, "Response", f"streamed {module}.Response", "CCL002", ("close",),
                 closed_when="raw.closed", made_by="Session.send", stream_keyword="stream"),
    )


def _observed_httpx_like(module: str) -> tuple[Observed, ...]:
    # `Client.__exit__` closes without calling `close()`; `client.stream()`
    # and `httpx.stream()` send with `stream=True`; a response read to its
    # end closes itself.
    stream = f"streamed {module}.Response"
    return (
        Observed(module, "Client", f"{module}.Client()", "CCL001", ("close", "__exit__"),
                 closed_when="is_closed"),
        Observed(module, "AsyncClient", f"{module}.AsyncClient()", "CCL001",
                 ("aclose", "__aexit__"), closed_when="is_closed"),
        Observed(module, "Response", stream, "CCL002", ("close", "aclose"),
                 closed_when="is_closed", made_by="Client.send", stream_keyword="stream"),
        Observed(module, "Response", stream, "CCL002", ("close", "aclose"),
                 closed_when="is_closed", made_by="AsyncClient.send", stream_keyword="stream"),
    )


def _requests_like(module: str) -> Library:
    return Library(
        module=module,
        sessions={"Session": False, "session": False, "AsyncSession": True},
        observed=_observed_requests_like(module),
        aliases={
            "sessions.Session": "Session",
            "sessions.session": "session",
            **{f"api.{verb}": verb for verb in _VERBS},
        },
        functional_streams=True,
        # `Session.send(prepared, stream=True)` streams as the verbs do.
        session_stream_methods=_VERBS | {"send"},
        stream_attributes=frozenset({"raw", "iter_content", "iter_lines"}),
        response_data=frozenset({
            "status_code", "ok", "reason", "text", "content", "headers", "url", "encoding",
            "cookies", "elapsed", "history", "links", "apparent_encoding", "is_redirect",
            "is_permanent_redirect", "json", "raise_for_status", "close",
        }),
        closing_adapters=frozenset({"adapters.HTTPAdapter"}),
        # `requests.get(url, params)` takes two, `Session.get(url)` one.
        method_positional={"get": 1, "head": 1, "options": 1, "delete": 1, "put": 2,
                           "patch": 2, "post": 3, "request": 2},
        keep_alive_myth=True,
    )


def _curl_cffi_like(module: str) -> Library:
    """curl_cffi's requests look-alike (`curl_cffi.requests`, re-exported by
    `curl_cffi`): requests' API, but its `Response` has no `with` and
    `AsyncSession.close()` is a coroutine. A `stream=True` response is no
    stream to report: it lives on its session's curl handle, which closing
    the session closes (and the functional API closes its session before
    returning); a session that is never closed is the finding."""
    verbs = _VERBS | {"trace", "query"}
    return Library(
        module=module,
        sessions={"Session": False, "AsyncSession": True},
        functional=verbs,
        aliases={
            "session.Session": "Session",
            "session.AsyncSession": "AsyncSession",
        },
        session_context_only=frozenset({"stream"}),
        response_is_context_manager=False,
        close_methods=frozenset({"close"}),
        response_close_methods=frozenset({"close", "aclose"}),
        stream_attributes=frozenset({"iter_content", "iter_lines", "aiter_content",
                                     "aiter_lines"}),
        # `Session.get(url, **kwargs)`, `Session.request(method, url, ...)`.
        method_positional={**dict.fromkeys(verbs, 1), "request": 2},
        keep_alive_myth=True,
    )


# urllib3's request methods, on a PoolManager and on a connection pool.
_URLLIB3_REQUESTS = frozenset({"request", "urlopen", "request_encode_url",
                               "request_encode_body"})


def _httpx_like(module: str) -> Library:
    return Library(
        module=module,
        sessions={"Client": False, "AsyncClient": True},
        observed=_observed_httpx_like(module),
        context_only=frozenset({"stream"}),
        aliases={
            "_client.Client": "Client",
            "_client.AsyncClient": "AsyncClient",
            **{f"_api.{verb}": verb for verb in _VERBS | {"stream"}},
        },
        session_context_only=frozenset({"stream"}),
        session_stream_methods=frozenset({"send"}),
        response_is_context_manager=False,
        close_methods=frozenset({"close", "aclose"}),
        response_close_methods=frozenset({"close", "aclose"}),
        stream_attributes=frozenset({
            "stream", "iter_bytes", "iter_text", "iter_lines", "iter_raw",
            "aiter_bytes", "aiter_text", "aiter_lines", "aiter_raw",
        }),
        loop_session="Client",
        session_variable="client",
        responses_outlive_session=False,
        response_data=frozenset({
            "status_code", "reason_phrase", "text", "content", "headers", "url", "encoding",
            "cookies", "elapsed", "history", "is_success", "is_error", "is_redirect",
            "http_version", "charset_encoding", "json", "read", "aread", "raise_for_status",
            "close", "aclose",
        }),
        # `request(method, url)` and `stream(method, url)`; the verbs take the url.
        method_positional={**dict.fromkeys(_VERBS, 1), "request": 2, "stream": 2},
        client_only_arguments=frozenset({"verify", "proxy", "proxies", "trust_env", "cert",
                                         "mounts", "transport", "http1", "http2"}),
    )


LIBRARIES: tuple[Library, ...] = (
    _requests_like("requests"),
    # niquests is a drop-in replacement for requests.
    _requests_like("niquests"),
    _httpx_like("httpx"),
    # httpx2 is the maintained continuation of httpx, with the same API.
    _httpx_like("httpx2"),
    Library(
        module="aiohttp",
        observed=(
            Observed("aiohttp", "ClientSession", "aiohttp.ClientSession()", "CCL001",
                     ("close",), closed_when="closed"),
            # Every response: one not released nor read to its end holds a
            # connection. aiohttp marks the end of the body through `_response_eof`.
            Observed("aiohttp", "ClientResponse", "aiohttp.ClientResponse", "CCL002",
                     ("close", "release", "_response_eof"), closed_when="closed"),
        ),
        sessions={"ClientSession": True},
        functional=frozenset(),
        context_only=frozenset({"request"}),
        context_only_is_async=True,
        aliases={"client.ClientSession": "ClientSession", "client.request": "request"},
        response_close_methods=frozenset({"close", "release"}),
        # A HEAD response has no body to hold the connection with.
        released_responses=_VERBS - {"head"},
        body_readers=frozenset({"read", "text", "json"}),
        loop_session="ClientSession",
        session_variable="client",
        responses_outlive_session=False,
        awaited_responses_stream=True,
        owned_arguments={"connector": "connector_owner"},
        response_data=frozenset({
            "status", "reason", "ok", "headers", "url", "cookies", "content_type", "charset",
            "read", "text", "json", "release", "close", "raise_for_status",
        }),
    ),
    # The standard library's `urlopen()`: a response to close, no pool to reuse.
    Library(
        module="urllib.request",
        sessions={},
        functional=frozenset(),
        responses=frozenset({"urlopen"}),
        session_variable="response",
    ),
    # One connection each; no `with` (closed by `close()`).
    Library(
        module="http.client",
        sessions={"HTTPConnection": False, "HTTPSConnection": False},
        functional=frozenset(),
        session_is_context_manager=False,
        session_variable="conn",
        responses_outlive_session=False,
        results_hold_connection=True,
    ),
    # urllib3: managers are closed by `clear()`, pools by `close()`; a
    # response with `preload_content=False` holds its connection until it is
    # released. `urllib3.request()` uses one shared module-level pool: no CCL003.
    Library(
        module="urllib3",
        sessions={"PoolManager": False, "ProxyManager": False, "HTTPConnectionPool": False,
                  "HTTPSConnectionPool": False, "connection_from_url": False,
                  "proxy_from_url": False},
        functional=frozenset(),
        aliases={
            "poolmanager.PoolManager": "PoolManager",
            "poolmanager.ProxyManager": "ProxyManager",
            "poolmanager.proxy_from_url": "proxy_from_url",
            "connectionpool.HTTPConnectionPool": "HTTPConnectionPool",
            "connectionpool.HTTPSConnectionPool": "HTTPSConnectionPool",
            "connectionpool.connection_from_url": "connection_from_url",
        },
        stream_argument=("preload_content", False),
        session_stream_methods=_URLLIB3_REQUESTS,
        close_methods=frozenset({"clear", "close"}),
        response_close_methods=frozenset({"release_conn", "close", "drain_conn"}),
        stream_attributes=frozenset({"stream", "read_chunked"}),
        loop_session="PoolManager",
        session_variable="http",
    ),
    _curl_cffi_like("curl_cffi.requests"),
    _curl_cffi_like("curl_cffi"),
    # websockets' asyncio client (also the legacy `websockets.client`): a
    # connection is open once `connect(...)` is awaited or entered.
    Library(
        module="websockets",
        sessions={"connect": True},
        functional=frozenset(),
        aliases={"client.connect": "connect", "asyncio.client.connect": "connect",
                 "legacy.client.connect": "connect"},
        session_needs_await=True,
        session_in_loop_is_waste=False,
        session_variable="websocket",
    ),
    # websockets' threading client: `connect(...)` returns an open connection.
    Library(
        module="websockets.sync.client",
        sessions={"connect": False},
        functional=frozenset(),
        session_in_loop_is_waste=False,
        session_variable="websocket",
    ),
)

# Names whose presence in a file's text means the file may need a parse.
MODULE_NAMES: frozenset[str] = frozenset(lib.module for lib in LIBRARIES)


# What a user's own code is assumed to close with: what requests and httpx use.
_CONFIGURED_CLOSE = frozenset({"close", "aclose"})


def custom_functional(module: str) -> Library:
    """A user-configured module whose verbs behave like `requests.get`."""
    return Library(module=module, sessions={}, functional_streams=True,
                   close_methods=_CONFIGURED_CLOSE, response_close_methods=_CONFIGURED_CLOSE,
                   configured=True)


def custom_factory(dotted: str) -> Library:
    """A user-configured session factory, `myapp.http.make_session`."""
    module, _, name = dotted.rpartition(".")
    return Library(module=module, sessions={name: False}, functional=frozenset(),
                   close_methods=_CONFIGURED_CLOSE, response_close_methods=_CONFIGURED_CLOSE,
                   configured=True)


@dataclass(frozen=True)
class Member:
    """A tracked qualified name, seen as a member of its library."""

    library: Library
    name: str

    @property
    def is_session(self) -> bool:
        return self.name in self.library.sessions

    @property
    def is_async_session(self) -> bool:
        return self.library.sessions.get(self.name, False)

    @property
    def is_context_only(self) -> bool:
        return self.name in self.library.context_only

    @property
    def is_response(self) -> bool:
        return self.name in self.library.responses


class Registry:
    """The table plus what a user configured, looked up by qualified name."""

    def __init__(self, libraries: tuple[Library, ...]) -> None:
        self.libraries = libraries
        # First dotted part of each module: the words the text pre-filter looks for.
        self.trigger_words = frozenset(lib.module.split(".")[0] for lib in libraries)
        # Every import that can bind a name of `urllib.request` spells both
        # `urllib` and `request` (`from urllib import request` too; after a
        # bare `import urllib` the code spells `urllib.request`), so a text
        # must hold every part of some module's name: most texts hold "http"
        # (a URL), few also "client" and an import of `http.client`.
        self._trigger_parts = _necessary_parts({lib.module for lib in libraries})
        # Names resolve to a library only through an import of its own module
        # (`import requests`, `import os, requests.adapters as a`, `from
        # requests import get`; not `from pip._vendor import requests`, which
        # names another module), so a file with no such statement cannot have
        # a finding. A dotted module counts only when the import names it,
        # not its package alone: `import urllib.parse` or `from http import
        # HTTPStatus` is no import of `urllib.request` or `http.client` (a
        # bare `import urllib` still passes: `urllib.request` may follow).
        # Each pattern is kept under the keyword it starts with.
        self._import_statements = _import_patterns({lib.module for lib in libraries})
        self._cache: dict[str, Member | None] = {}
        self._below: dict[str, frozenset[str]] | None = None
        self.modules = frozenset(lib.module for lib in libraries)
        # Every library's close methods and stream attributes: where the
        # library of an object is not known, any of them counts.
        self.close_methods = frozenset().union(
            *(lib.close_methods | lib.response_close_methods for lib in libraries))
        self.stream_attributes = frozenset().union(
            *(lib.stream_attributes for lib in libraries))

    def next_parts(self, qualname: str) -> frozenset[str] | None:
        """What may follow ``qualname`` on the way to a tracked name: None
        for a tracked name itself, else the next parts (`urllib` ->
        {"request"}, `requests` -> {"Session", "get", "sessions", ...}),
        empty when nothing tracked is below it (`requests.exceptions`)."""
        if self._below is None:
            below: dict[str, set[str]] = {}
            for lib in self.libraries:
                for name in (*lib.sessions, *lib.functional, *lib.context_only,
                             *lib.responses, *lib.aliases):
                    parts = f"{lib.module}.{name}".split(".")
                    for end in range(1, len(parts)):
                        below.setdefault(".".join(parts[:end]), set()).add(parts[end])
            self._below = {prefix: frozenset(parts) for prefix, parts in below.items()}
        if self.lookup(qualname) is not None:
            return None
        return self._below.get(qualname, frozenset())

    def lookup(self, qualname: str) -> Member | None:
        """`requests.sessions.Session` -> Member(requests, "Session"), else None."""
        if qualname not in self._cache:
            self._cache[qualname] = self._find(qualname)
        return self._cache[qualname]

    def _find(self, qualname: str) -> Member | None:
        for lib in self.libraries:
            if not qualname.startswith(lib.module + "."):
                continue
            name = qualname[len(lib.module) + 1:]
            name = lib.aliases.get(name, name)
            if (name in lib.sessions or name in lib.functional or name in lib.context_only
                    or name in lib.responses):
                return Member(lib, name)
        return None

    def exported(self, module: str) -> frozenset[str]:
        """The tracked names `from <module> import *` binds."""
        return frozenset().union(*(
            set(lib.sessions) | lib.functional | lib.context_only
            for lib in self.libraries if lib.module == module))

    def tracked_imports(self, text: str) -> Iterator[int]:
        """Where ``text`` has an import statement that can bind a tracked name."""
        # Each pattern starts with its keyword: look for the keyword (a
        # substring search, several times faster than a pattern's scan) at
        # the start of a statement, and only there for the patterns.
        for keyword, patterns in self._import_statements:
            position = text.find(keyword)
            while position >= 0:
                if _starts_statement(text, position) and any(
                        pattern.match(text, position) for pattern in patterns):
                    yield position
                position = text.find(keyword, position + len(keyword))

    def mentions_tracked_module(self, text: str) -> bool:
        """The pre-filter: can this text contain anything we track at all?
        The substring test is cheap and rejects most files; the import
        patterns then reject those that only mention the word."""
        return any(all(part in text for part in parts)
                   for parts in self._trigger_parts) \
            and next(self.tracked_imports(text), None) is not None


_SPACE = r"(?:[ \t\f]|\\(?:\r\n|\r|\n))"  # a backslash continues the line


def _import_patterns(modules: set[str]) -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    """Patterns of the import statements that can bind a name of ``modules``,
    under the keyword each starts with: `from M...`, `import ..., M...`, a
    bare `import P` of a dotted module's top package, and `from P import
    ..., N` for a dotted module `P.N`."""
    space = _SPACE
    tops = {module.split(".")[0] for module in modules}
    full = "|".join(sorted(map(re.escape, modules)))
    bare = "|".join(sorted(map(re.escape, tops)))
    froms = [rf"from{space}+(?:{full})\b"]
    imports = [rf"import{space}+(?:[\w.]+(?:{space}+as{space}+\w+)?{space}*,{space}*)*"
               rf"(?:(?:{full})\b|(?:{bare})(?![\w.]))"]
    for module in sorted(m for m in modules if "." in m):
        package, name = module.rsplit(".", 1)
        if any(package == m or package.startswith(m + ".") for m in modules):
            continue  # `from curl_cffi import requests` is already `from curl_cffi`
        # `from urllib import request`, `from http import (client,\n HTTPStatus)`.
        froms.append(rf"from{space}+{re.escape(package)}{space}+import{space}*"
                     rf"(?:\([\w\s,]*?|[\w \t\f,\\]*?)\b{re.escape(name)}\b")
    return (("from", tuple(map(re.compile, froms))), ("import", tuple(map(re.compile, imports))))


def _necessary_parts(modules: set[str]) -> list[tuple[str, ...]]:
    """Per module, the parts of its name; less each tuple that another one
    implies (a text holding "httpx2" holds "httpx"): every scan of a text
    that mentions no module costs one substring search per tuple."""
    tuples = {tuple(dict.fromkeys(module.split("."))) for module in modules}

    def implied(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
        return one != other and all(any(part in mine for mine in one) for part in other)

    kept = [one for one in tuples if not any(implied(one, other) for other in tuples)]
    return sorted(kept, key=lambda parts: (len(parts), parts))


def _starts_statement(text: str, start: int) -> bool:
    """Whether ``start`` can begin a statement: only blanks before it on its
    line, or a `;` or a compound statement's `:` (`if TYPE_CHECKING: import
    httpx`). Not a comment, a docstring's `>>> import`, nor `yield from`."""
    before = text[text.rfind("\n", 0, start) + 1:start].rstrip(" \t\f")
    return not before or before[-1] in ";:\r"


@lru_cache(maxsize=16)
def registry_for(settings: Settings) -> Registry:
    """The built-in table extended by a user's factories and modules."""
    extra = tuple(custom_factory(name) for name in sorted(settings.session_factories))
    extra += tuple(custom_functional(name) for name in sorted(settings.functional_modules))
    return Registry(LIBRARIES + extra)


# What the runtime companion patches, row by row (`flake8_connclose.runtime`).
OBSERVED: tuple[Observed, ...] = tuple(o for lib in LIBRARIES for o in lib.observed)
