"""The table of HTTP libraries: one row each, no code of their own.

A new library is a new ``Library`` row in ``LIBRARIES``; the engine reads
nothing about a library from anywhere else.
"""

from __future__ import annotations

import ast
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
    # A user's own factory or module: what it returns is not known.
    configured: bool = False

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


def _requests_like(module: str) -> Library:
    return Library(
        module=module,
        sessions={"Session": False, "session": False, "AsyncSession": True},
        aliases={
            "sessions.Session": "Session",
            "sessions.session": "session",
            **{f"api.{verb}": verb for verb in _VERBS},
        },
        functional_streams=True,
        # `Session.send(prepared, stream=True)` streams as the verbs do.
        session_stream_methods=_VERBS | {"send"},
        stream_attributes=frozenset({"raw", "iter_content", "iter_lines"}),
        # `requests.get(url, params)` takes two, `Session.get(url)` one.
        method_positional={"get": 1, "head": 1, "options": 1, "delete": 1, "put": 2,
                           "patch": 2, "post": 3, "request": 2},
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
        close_methods=frozenset({"close", "aclose"}),
        response_close_methods=frozenset({"close", "aclose"}),
        stream_attributes=frozenset({
            "stream", "iter_bytes", "iter_text", "iter_lines", "iter_raw",
            "aiter_bytes", "aiter_text", "aiter_lines", "aiter_raw",
        }),
        loop_session="Client",
        session_variable="client",
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
        self.modules = frozenset(lib.module for lib in libraries)
        # Every library's close methods and stream attributes: where the
        # library of an object is not known, any of them counts.
        self.close_methods = frozenset().union(
            *(lib.close_methods | lib.response_close_methods for lib in libraries))
        self.stream_attributes = frozenset().union(
            *(lib.stream_attributes for lib in libraries))

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

    def exported(self, module: str) -> frozenset[str]:
        """The tracked names `from <module> import *` binds."""
        return frozenset().union(*(
            set(lib.sessions) | lib.functional | lib.context_only
            for lib in self.libraries if lib.module == module))

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
