"""The table of HTTP libraries: one row each, no code of their own.

A new library is a new ``Library`` row in ``LIBRARIES``; the engine reads
nothing about a library from anywhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Mapping

from flake8_connclose.settings import Settings

# The module-level calls that build and tear down a pool per call.
_VERBS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request"}
)


@dataclass(frozen=True)
class Library:
    """What the engine needs to know of one HTTP library.

    Names are relative to ``module``: ``sessions`` maps a constructor to
    whether it is asynchronous, ``aliases`` maps where a public name is also
    defined (``sessions.Session``) to the public name (``Session``).
    """

    module: str
    sessions: Mapping[str, bool]
    functional: frozenset[str] = _VERBS
    # Functional calls that only work as a context manager (`httpx.stream`).
    context_only: frozenset[str] = frozenset()
    aliases: Mapping[str, str] = field(default_factory=dict)
    # `stream=True` makes a session or functional call return an open stream.
    stream_keyword: bool = False
    # Session methods that only work as a context manager (`client.stream`).
    session_context_only: frozenset[str] = frozenset()
    # Session methods taking `stream=True` (requests: the verbs; httpx: send).
    session_stream_methods: frozenset[str] = frozenset()
    # Does a streamed response support `with`? (requests yes, httpx no.)
    response_is_context_manager: bool = True


def _requests_like(module: str) -> Library:
    return Library(
        module=module,
        sessions={"Session": False, "session": False, "AsyncSession": True},
        aliases={
            "sessions.Session": "Session",
            "sessions.session": "session",
            **{f"api.{verb}": verb for verb in _VERBS},
        },
        stream_keyword=True,
        session_stream_methods=_VERBS,
    )


def _httpx_like(module: str) -> Library:
    return Library(
        module=module,
        sessions={"Client": False, "AsyncClient": True},
        context_only=frozenset({"stream"}),
        aliases={
            "_client.Client": "Client",
            "_client.AsyncClient": "AsyncClient",
            **{f"_api.{verb}": verb for verb in _VERBS | {"stream"}},
        },
        session_context_only=frozenset({"stream"}),
        session_stream_methods=frozenset({"send"}),
        response_is_context_manager=False,
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
        sessions={"ClientSession": True},
        functional=frozenset(),
        context_only=frozenset({"request"}),
        aliases={"client.ClientSession": "ClientSession", "client.request": "request"},
    ),
)

# Names whose presence in a file's text means the file may need a parse.
MODULE_NAMES: frozenset[str] = frozenset(lib.module for lib in LIBRARIES)


def custom_functional(module: str) -> Library:
    """A user-configured module whose verbs behave like `requests.get`."""
    return Library(module=module, sessions={}, stream_keyword=True)


def custom_factory(dotted: str) -> Library:
    """A user-configured session factory, `myapp.http.make_session`."""
    module, _, name = dotted.rpartition(".")
    return Library(module=module, sessions={name: False}, functional=frozenset())


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


class Registry:
    """The table plus what a user configured, looked up by qualified name."""

    def __init__(self, libraries: tuple[Library, ...]) -> None:
        self.libraries = libraries
        # First dotted part of each module: the words the text pre-filter looks for.
        self.trigger_words = frozenset(lib.module.split(".")[0] for lib in libraries)
        # Names resolve to a library only through an import of its own module
        # (`import requests`, `import os, requests.adapters as a`, `from
        # requests import get`; not `from pip._vendor import requests`, which
        # names another module), so a file with no such statement cannot have
        # a finding. Each pattern starts with a literal, which `re` finds fast.
        words = "|".join(sorted(map(re.escape, self.trigger_words)))
        space = r"(?:[ \t\f]|\\(?:\r\n|\r|\n))"  # a backslash continues the line
        self._import_statements = (
            re.compile(rf"from{space}+(?:{words})\b"),
            re.compile(rf"import{space}+(?:[\w.]+(?:{space}+as{space}+\w+)?{space}*,{space}*)*"
                       rf"(?:{words})\b"),
        )
        self._cache: dict[str, Member | None] = {}

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
            if name in lib.sessions or name in lib.functional or name in lib.context_only:
                return Member(lib, name)
        return None

    def mentions_tracked_module(self, text: str) -> bool:
        """The pre-filter: can this text contain anything we track at all?
        The substring test is cheap and rejects most files; the import
        patterns then reject those that only mention the word."""
        return any(word in text for word in self.trigger_words) and any(
            _starts_statement(text, match.start())
            for pattern in self._import_statements for match in pattern.finditer(text)
        )


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


# -- The runtime companion's table (issue 15) ----------------------------------
# Self-contained on purpose, after everything else: it merges apart from the
# rows above and is meant to be folded into them. `flake8_connclose.runtime`
# reads only this; the engine never reads it.

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


OBSERVED: tuple[Observed, ...] = (
    *_observed_requests_like("requests"),
    *_observed_requests_like("niquests"),
    *_observed_httpx_like("httpx"),
    *_observed_httpx_like("httpx2"),
    Observed("aiohttp", "ClientSession", "aiohttp.ClientSession()", "CCL001", ("close",),
             closed_when="closed"),
    # Every response: one not released nor read to its end holds a connection.
    # aiohttp marks the end of the body through `_response_eof`.
    Observed("aiohttp", "ClientResponse", "aiohttp.ClientResponse", "CCL002",
             ("close", "release", "_response_eof"), closed_when="closed"),
)
