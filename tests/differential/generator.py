"""Generated programs for the differential test of ``connclose --fix``.

Templates with combinatorial choices, no randomness but a seeded sample:
the same ids and sources on every run, so the known-broken manifest is
stable. Each program is a complete script whose ``main(url)`` talks to the
loopback server (``server.py``) and prints only deterministic things
(status codes, body lengths, header echoes); every loop runs at most 3 times.

A program is built from
- a *resource*: a session/client (``SESSIONS``), a streamed response
  (``STREAMS``) or a functional call in a loop (``loop_shapes``);
- a *shape*: how code derived from it (an alias, bound method, lambda,
  generator, iterator, task, thread...) is used after the last statement
  that names it, which is where today's fixes end their ``with``;
- an *enclosing* scope (module function, method, nested function) and, in
  the long mode, a *wrapper* around the body (``if``, ``try``, a one-pass loop).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator

SMALL = 'url + "small"'
CHUNKED = 'url + "chunked"'
SLOW = 'url + "slow"'  # chunks with pauses: never all buffered when the client closes


@dataclass(frozen=True)
class Program:
    id: str  # "<shape>-<resource>-<enclosing>[-<wrapper>]", also the regression file's name
    source: str
    unsafe: bool = False  # also apply the unsafe fixes (CCL003/CCL004)


# --------------------------------------------------------------------------
# Resources


@dataclass(frozen=True)
class Session:
    """A session/client library: how to build one and show a request's result."""

    key: str
    imports: str
    ctor: str
    is_async: bool
    # Turns a request expression (a response, coroutine or aiohttp request
    # manager) into an expression of its (status, body length).
    show_format: str

    def show(self, call: str) -> str:
        return self.show_format.format(call)

    def show_get(self, receiver: str) -> str:
        """(status, length) of a GET of /small through ``receiver``'s ``get``."""
        return self.show(f"{receiver}.get({SMALL})")

    def show_call(self, function: str) -> str:
        """(status, length) of ``function(url + "small")``."""
        return self.show(f"{function}({SMALL})")


SYNC_SUMMARY = "def summary(r):\n    return r.status_code, len(r.content)"
AIOHTTP_SUMMARY = ("async def summary(cm):\n    async with cm as r:\n"
                   "        return r.status, len(await r.read())")

SESSIONS = [
    Session("requests", "import requests", "requests.Session()", False, "summary({})"),
    Session("httpx", "import httpx", "httpx.Client()", False, "summary({})"),
    Session("httpx_async", "import httpx", "httpx.AsyncClient()", True, "summary(await {})"),
    Session("aiohttp", "import aiohttp", "aiohttp.ClientSession()", True, "await summary({})"),
]


@dataclass(frozen=True)
class Stream:
    """A streamed response: how to open it, read it and walk its iterators."""

    key: str
    imports: str
    is_async: bool
    outer: str | None  # the block the stream is opened in (its client's `with`)
    open: str
    status: str
    read: str  # the whole body of `r`
    # iterator name -> (expression on `r`, how to consume it: `{}` is the iterator)
    iterators: dict[str, tuple[str, str]] = field(default_factory=dict)
    # the iterators that support next()/__anext__, for the partial-read shape
    steppable: tuple[str, ...] = ()


SYNC_SUM = "sum(len(p) for p in {})"
ASYNC_SUM = "sum([len(p) async for p in {}])"

STREAMS = [
    Stream("requests_get", "import requests", False, None,
           f"requests.get({CHUNKED}, stream=True)", "status_code", "len(r.content)",
           {"iter_content": ("r.iter_content(4)", SYNC_SUM),
            "iter_lines": ("r.iter_lines()", SYNC_SUM),
            "raw": ("r.raw", "len({}.read())")},
           ("iter_content",)),
    Stream("requests_session", "import requests", False, "with requests.Session() as s:",
           f"s.get({CHUNKED}, stream=True)", "status_code", "len(r.content)",
           {"iter_content": ("r.iter_content(4)", SYNC_SUM),
            "raw": ("r.raw", "len({}.read())")},
           ("iter_content",)),
    Stream("httpx_send", "import httpx", False, "with httpx.Client() as c:",
           f'c.send(c.build_request("GET", {CHUNKED}), stream=True)', "status_code",
           "len(r.read())",
           {"iter_bytes": ("r.iter_bytes()", SYNC_SUM),
            "iter_lines": ("r.iter_lines()", SYNC_SUM),
            "iter_raw": ("r.iter_raw()", SYNC_SUM)},
           ("iter_bytes",)),
    Stream("httpx_async_send", "import httpx", True, "async with httpx.AsyncClient() as c:",
           f'await c.send(c.build_request("GET", {CHUNKED}), stream=True)', "status_code",
           "len(await r.aread())",
           {"aiter_bytes": ("r.aiter_bytes()", ASYNC_SUM),
            "aiter_lines": ("r.aiter_lines()", ASYNC_SUM)},
           ("aiter_bytes",)),
    Stream("aiohttp_get", "import aiohttp", True, "async with aiohttp.ClientSession() as s:",
           f"await s.get({CHUNKED})", "status", "len(await r.read())",
           {"content": ("r.content", "len(await {}.read())"),
            "iter_chunked": ("r.content.iter_chunked(4)", ASYNC_SUM)},
           ("iter_chunked",)),
]


# --------------------------------------------------------------------------
# Module-level helpers, included when a body calls them by name


def helpers_for(session: Session | None, is_async: bool) -> dict[str, str]:
    show = session.show if session else "summary({})".format
    aw = "async " if is_async else ""
    return {
        "summary": AIOHTTP_SUMMARY if session and session.key == "aiohttp" else SYNC_SUMMARY,
        "fetch": f"{aw}def fetch(c, u):\n    return {show('c.get(u)')}",
        "fetch_after": (f"async def fetch_after(go, c, u):\n    await go.wait()\n"
                        f"    return {show('c.get(u)')}"),
        "later": ("def later(go, out, fn, *args):\n    go.wait()\n"
                  "    out.append(summary(fn(*args)))"),
        "consume_later": ("def consume_later(go, out, it):\n    go.wait()\n"
                          "    out.append(sum(len(p) for p in it))"),
        "bind": "def bind(c):\n    return lambda fn: (lambda: fn(c))",
        "pages": "def pages(c, u):\n    for _ in range(2):\n        yield c.get(u)",
        "pieces": "def pieces(it):\n    yield from it",
        "Api": ("class Api:\n    def __init__(self, c):\n        self.c = c\n\n"
                "    def fetch(self, u):\n        return self.c.get(u)"),
    }


# --------------------------------------------------------------------------
# Shapes: each returns the lines of the enclosing function's body, or None
# where the shape does not apply to the resource.

Lines = list[str]
SessionShape = Callable[[Session], "Lines | None"]
StreamShape = Callable[[Stream, str], "Lines | None"]

ALIASES = {
    "plain": ["t = s"],
    "ifexp": ["t = s if url else None"],
    "or": ["t = None or s"],
    "walrus": ["print((t := s) is not None)"],
    "chained": ["t = other = s"],
    "tuple": ["t, n = s, 1"],
    "annotated": ["t: object = s"],
}


def _alias(kind: str) -> SessionShape:
    def shape(lib: Session) -> Lines:
        return ["s = " + lib.ctor, *ALIASES[kind], f"print({lib.show_get('s')})",
                f"print({lib.show_get('t')})"]
    return shape


def _later_call(setup: str, call: str) -> SessionShape:
    """``setup`` derives something from ``s``; ``call`` requests through it
    after the last line that names ``s``."""
    def shape(lib: Session) -> Lines:
        return ["s = " + lib.ctor, setup, f"print({lib.show_get('s')})",
                f"print({lib.show(call)})"]
    return shape


def _direct(lib: Session) -> Lines:
    return ["s = " + lib.ctor, f"print({lib.show_get('s')})",
            f"print({lib.show('s.get(url + ' + repr('json') + ')')})"]


def _nested_def(lib: Session) -> Lines:
    return ["s = " + lib.ctor, "def f():", f"    return s.get({SMALL})",
            f"print({lib.show('f()')})"]


def _default_arg(lib: Session) -> Lines:
    return ["s = " + lib.ctor, "def f(c=s):", f"    return c.get({SMALL})",
            f"print({lib.show('f()')})"]


def _decorator(lib: Session) -> Lines:
    return ["s = " + lib.ctor, "@bind(s)", "def f(c):", f"    return c.get({SMALL})",
            f"print({lib.show('f()')})"]


def _iterate(setup: str) -> SessionShape:
    """``setup`` builds a lazy iterable ``it`` of requests through ``s``."""
    def shape(lib: Session) -> Lines:
        return ["s = " + lib.ctor, setup, "for r in it:", f"    print({lib.show('r')})"]
    return shape


def _generator_local(lib: Session) -> Lines:
    return ["s = " + lib.ctor, "def gen():", "    for _ in range(2):",
            f"        yield s.get({SMALL})", "it = gen()", "for r in it:",
            f"    print({lib.show('r')})"]


def _comprehension(lib: Session) -> Lines:
    return ["s = " + lib.ctor, f"print([{lib.show_get('s')} for _ in range(2)])"]


def _thread(target: str) -> SessionShape:
    def shape(lib: Session) -> Lines | None:
        if lib.is_async:
            return None
        return ["s = " + lib.ctor, "go, out = threading.Event(), []",
                f"t = threading.Thread({target})", "t.start()",
                f"print({lib.show_get('s')})", "go.set()", "t.join()",
                "print(out)"]
    return shape


def _executor(lib: Session) -> Lines | None:
    if lib.is_async:
        return None
    return ["s = " + lib.ctor, "go, out = threading.Event(), []",
            "pool = concurrent.futures.ThreadPoolExecutor(1)",
            f"future = pool.submit(later, go, out, s.get, {SMALL})", "go.set()",
            "future.result()", "pool.shutdown()", "print(out)"]


def _task(spawn: str) -> SessionShape:
    def shape(lib: Session) -> Lines | None:
        if not lib.is_async:
            return None
        return ["s = " + lib.ctor, "go = asyncio.Event()",
                f"task = asyncio.{spawn}(fetch_after(go, s, {SMALL}))", "go.set()",
                "print(await task)"]
    return shape


def _gather(lib: Session) -> Lines | None:
    if not lib.is_async:
        return None
    return ["s = " + lib.ctor, f"coros = [fetch(s, {SMALL}) for _ in range(2)]",
            "print(await asyncio.gather(*coros))"]


def _wrapper_class(lib: Session) -> Lines:
    return ["s = " + lib.ctor, "api = Api(s)", f"print({lib.show_call('api.fetch')})"]


def _try_except_close(lib: Session) -> Lines:
    close = "await s.close()" if lib.key == "aiohttp" else (
        "await s.aclose()" if lib.is_async else "s.close()")
    return ["s = " + lib.ctor, "try:", f"    print({lib.show_get('s')})",
            "except Exception:", f"    {close}", "    raise"]


def _try_finally_derived(lib: Session) -> Lines:
    return ["s = " + lib.ctor, "g = s.get", "try:", '    print("start")', "finally:",
            f"    print({lib.show_call('g')})"]


def _except_derived(lib: Session) -> Lines:
    return ["s = " + lib.ctor, "g = s.get", "try:", '    raise ValueError("boom")',
            "except ValueError as e:", f"    print(type(e).__name__, {lib.show_call('g')})"]


def _error_propagates(lib: Session) -> Lines:
    if lib.key == "aiohttp":
        return ["s = " + lib.ctor, 'async with s.get(url + "missing") as r:',
                "    print(r.status)", "    r.raise_for_status()"]
    aw = "await " if lib.is_async else ""
    return ["s = " + lib.ctor, f'r = {aw}s.get(url + "missing")', "print(r.status_code)",
            "r.raise_for_status()"]


def _derived_response(lib: Session) -> Lines:
    """A streamed response outlives the client's last mention (httpx and
    aiohttp close it with the client; requests' survives)."""
    if lib.key == "aiohttp":
        return ["s = " + lib.ctor, f"r = await s.get({SLOW})", "print(r.status)",
                "print(len(await r.read()))"]
    if lib.key == "requests":
        return ["s = " + lib.ctor, f"r = s.get({SLOW}, stream=True)", "print(r.status_code)",
                "print(len(r.content))", "r.close()"]
    aw, read = ("await ", "await r.aread()") if lib.is_async else ("", "r.read()")
    return ["s = " + lib.ctor, f'r = {aw}s.send(s.build_request("GET", {SLOW}), stream=True)',
            "print(r.status_code)", f"print(len({read}))"]


def _loop_then_bound(lib: Session) -> Lines:
    return ["s = " + lib.ctor, "for _ in range(2):", f"    print({lib.show_get('s')})",
            "g = s.get", f"print({lib.show_call('g')})"]


SESSION_SHAPES: dict[str, SessionShape] = {
    "direct": _direct,
    **{f"alias_{kind}": _alias(kind) for kind in ALIASES},
    "bound_method": _later_call("g = s.get", f"g({SMALL})"),
    "lambda": _later_call(f"f = lambda: s.get({SMALL})", "f()"),
    "lambda_list": _later_call(f"fs = [lambda: s.get({SMALL})]", "fs[0]()"),
    "method_dict": _later_call('handlers = {"get": s.get}', f'handlers["get"]({SMALL})'),
    "partial": _later_call(f"f = functools.partial(s.get, {SMALL})", "f()"),
    "nested_def": _nested_def,
    "default_arg": _default_arg,
    "decorator": _decorator,
    "genexp": _iterate(f"it = (s.get({SMALL}) for _ in range(2))"),
    "map_bound": _iterate(f"it = map(s.get, [{SMALL}] * 2)"),
    "map_lambda": _iterate(f"it = map(lambda u: s.get(u), [{SMALL}] * 2)"),
    "generator_local": _generator_local,
    "generator_helper": _iterate(f"it = pages(s, {SMALL})"),
    "comprehension": _comprehension,
    "thread_bound": _thread(f"target=later, args=(go, out, s.get, {SMALL})"),
    "thread_lambda": _thread(f"target=lambda: later(go, out, s.get, {SMALL})"),
    "executor": _executor,
    "task": _task("create_task"),
    "ensure_future": _task("ensure_future"),
    "gather": _gather,
    "wrapper_class": _wrapper_class,
    "try_except_close": _try_except_close,
    "try_finally_derived": _try_finally_derived,
    "except_derived": _except_derived,
    "error_propagates": _error_propagates,
    "derived_response": _derived_response,
    "loop_then_bound": _loop_then_bound,
}


def _conditional_return(returned: str, flag: str) -> Callable[[Session], tuple[str, Lines]]:
    """The session lives in a helper that returns something derived from it
    on one path: the helper is module-level, ``main`` uses its result."""
    def shape(lib: Session) -> tuple[str, Lines]:
        aw, df = ("await ", "async def") if lib.is_async else ("", "def")
        helper = "\n".join([
            f"{df} make(url, flag):", f"    s = {lib.ctor}", "    if flag:",
            f"        return {returned}", f"    print({lib.show_get('s')})",
            "    return None"])
        body = [f"g = {aw}make(url, {flag})", "if g is not None:",
                f"    print({lib.show_call('g')})"]
        return helper, body
    return shape


CONDITIONAL_SHAPES = {
    f"conditional_return_{what}_{flag.lower()}": _conditional_return(expr, flag)
    for what, expr in (("bound", "s.get"), ("lambda", "lambda u: s.get(u)"))
    for flag in ("True", "False")
}


# --- streams


def _stream_lines(lib: Stream, *lines: str) -> Lines:
    return [f"r = {lib.open}", *lines]


def _consume(lib: Stream, it: str) -> str:
    return lib.iterators[it][1]


def _stream_read_now(lib: Stream, it: str) -> Lines:
    return _stream_lines(lib, f"print(r.{lib.status})", f"print({lib.read})")


def _stream_status_only(lib: Stream, it: str) -> Lines:
    return _stream_lines(lib, f"print(r.{lib.status})")


def _stream_iterator_after(lib: Stream, it: str) -> Lines:
    expr, consume = lib.iterators[it]
    return _stream_lines(lib, f"it = {expr}", f"print(r.{lib.status})",
                         f"print({consume.format('it')})")


def _stream_next_then_rest(lib: Stream, it: str) -> Lines | None:
    if it not in lib.steppable:
        return None
    expr, consume = lib.iterators[it]
    step = "await it.__anext__()" if lib.is_async else "next(it)"
    return _stream_lines(lib, f"it = {expr}", f"first = {step}", "print(len(first))",
                         f"print({consume.format('it')})")


def _stream_alias(lib: Stream, it: str) -> Lines:
    expr, consume = lib.iterators[it]
    return _stream_lines(lib, "t = r", f"print(r.{lib.status})",
                         f"print({consume.format(expr.replace('r.', 't.', 1))})")


def _stream_bound_iter(lib: Stream, it: str) -> Lines | None:
    expr, consume = lib.iterators[it]
    if not expr.endswith(")"):
        return None  # an attribute, not a method
    method, args = expr.split("(", 1)
    return _stream_lines(lib, f"walk = {method}", f"print(r.{lib.status})",
                         f"print({consume.format('walk(' + args)})")


def _stream_lambda(lib: Stream, it: str) -> Lines | None:
    expr, consume = lib.iterators[it]
    if lib.is_async:
        return None  # a lambda cannot hold an async comprehension
    return _stream_lines(lib, f"f = lambda: {consume.format(expr)}", f"print(r.{lib.status})",
                         "print(f())")


def _stream_genexp(lib: Stream, it: str) -> Lines | None:
    expr, _ = lib.iterators[it]
    if lib.is_async or "iter" not in expr:
        return None
    return _stream_lines(lib, f"sizes = (len(p) for p in {expr})", f"print(r.{lib.status})",
                         "print(sum(sizes))")


def _stream_helper_generator(lib: Stream, it: str) -> Lines | None:
    expr, _ = lib.iterators[it]
    if lib.is_async or "iter" not in expr:
        return None
    return _stream_lines(lib, f"g = pieces({expr})", f"print(r.{lib.status})",
                         f"print({SYNC_SUM.format('g')})")


def _stream_thread(lib: Stream, it: str) -> Lines | None:
    expr, _ = lib.iterators[it]
    if lib.is_async or "iter" not in expr:
        return None
    return _stream_lines(lib, "go, out = threading.Event(), []",
                         f"t = threading.Thread(target=consume_later, args=(go, out, {expr}))",
                         "t.start()", f"print(r.{lib.status})", "go.set()", "t.join()",
                         "print(out)")


def _stream_task(lib: Stream, it: str) -> Lines | None:
    expr, consume = lib.iterators[it]
    if not lib.is_async:
        return None
    return ["go = asyncio.Event()", f"r = {lib.open}",
            "async def drain(it):", "    await go.wait()", f"    return {consume.format('it')}",
            f"task = asyncio.create_task(drain({expr}))", f"print(r.{lib.status})",
            "go.set()", "print(await task)"]


def _stream_error(lib: Stream, it: str) -> Lines:
    return [f"r = {lib.open.replace(CHUNKED, repr('missing').join(['url + ', '']))}",
            f"print(r.{lib.status})", "r.raise_for_status()"]


def _stream_bare(lib: Stream, it: str) -> Lines:
    return [lib.open, 'print("done")']


STREAM_SHAPES: dict[str, tuple[StreamShape, bool]] = {
    # name -> (shape, does it vary with the iterator?)
    "read_now": (_stream_read_now, False),
    "status_only": (_stream_status_only, False),
    "error": (_stream_error, False),
    "bare": (_stream_bare, False),
    "iterator_after": (_stream_iterator_after, True),
    "next_then_rest": (_stream_next_then_rest, True),
    "alias": (_stream_alias, True),
    "bound_iter": (_stream_bound_iter, True),
    "lambda": (_stream_lambda, True),
    "genexp": (_stream_genexp, True),
    "helper_generator": (_stream_helper_generator, True),
    "thread": (_stream_thread, True),
    "task": (_stream_task, True),
}


# --- `x = <context manager>`: the name binds the manager, not the response

MANAGER_BINDINGS = {
    "client_stream": ("import httpx", False, "with httpx.Client() as c:",
                      f'cm = c.stream("GET", {CHUNKED})',
                      ["with cm as r:", "    print(r.status_code, len(r.read()))"]),
    "httpx_stream": ("import httpx", False, None, f'cm = httpx.stream("GET", {CHUNKED})',
                     ["with cm as r:", "    print(r.status_code, len(r.read()))"]),
    "async_client_stream": ("import httpx", True, "async with httpx.AsyncClient() as c:",
                            f'cm = c.stream("GET", {CHUNKED})',
                            ["async with cm as r:",
                             "    print(r.status_code, len(await r.aread()))"]),
    "aiohttp_request": ("import aiohttp", True, None, f'cm = aiohttp.request("GET", {CHUNKED})',
                        ["async with cm as r:", "    print(r.status, len(await r.read()))"]),
    "aiohttp_session_get": ("import aiohttp", True, "async with aiohttp.ClientSession() as s:",
                            f"cm = s.get({CHUNKED})",
                            ["async with cm as r:", "    print(r.status, len(await r.read()))"]),
    # entered by hand: every later use of `cm` is a use of the manager
    "httpx_stream_manual": ("import httpx", False, None, f'cm = httpx.stream("GET", {CHUNKED})',
                            ["r = cm.__enter__()", "print(r.status_code, len(r.read()))",
                             "cm.__exit__(None, None, None)"]),
    "client_stream_manual": ("import httpx", False, "with httpx.Client() as c:",
                             f'cm = c.stream("GET", {CHUNKED})',
                             ["r = cm.__enter__()", "print(r.status_code, len(r.read()))",
                              "cm.__exit__(None, None, None)"]),
    "aiohttp_request_manual": ("import aiohttp", True, None,
                               f'cm = aiohttp.request("GET", {CHUNKED})',
                               ["r = await cm.__aenter__()", "print(r.status, len(await r.read()))",
                                "await cm.__aexit__(None, None, None)"]),
}


# --- functional calls in loops and sessions built in loops (unsafe fixes)

FUNCTIONAL = {"requests": "requests", "httpx": "httpx"}


def loop_shapes(mod: str) -> dict[str, tuple[str, Lines]]:
    """name -> (module-level helper, main's body), for ``requests`` or ``httpx``."""
    get = f"{mod}.get({SMALL})"
    ctor = "requests.Session()" if mod == "requests" else "httpx.Client()"
    echo = "requests.Session" if mod == "requests" else "httpx.Client"
    # httpx takes the header in its constructor; requests only by a store
    tagged = "" if mod == "requests" else 'headers={"X-Tag": str(i)}'
    stream = ", stream=True" if mod == "requests" else ""
    tag_store = ['        s.headers["X-Tag"] = str(i)'] if mod == "requests" else []
    gen = f"def gen(url):\n    for _ in range(3):\n        yield summary({get})"
    return {
        "loop_for": ("", ["for _ in range(3):", f"    print(summary({get}))"]),
        "loop_while": ("", ["i = 0", "while i < 3:", f"    print(summary({get}))", "    i += 1"]),
        "loop_comprehension": ("", [f"print([summary({get}) for _ in range(3)])"]),
        "loop_break": ("", ["for _ in range(3):", f"    r = {get}", "    print(r.status_code)",
                            "    if r.status_code == 200:", "        break"]),
        "loop_stream": ("", ["for _ in range(2):", f"    r = {mod}.get({CHUNKED}, stream=True)"
                             if mod == "requests" else f'    r = {mod}.get({CHUNKED})',
                             "    print(r.status_code, len(r.content))"]),
        "loop_generator_full": (gen, ["print(list(gen(url)))"]),
        "loop_generator_partial": (gen, ["g = gen(url)", "print(next(g))"]),
        "loop_return_genexp": (f"def sizes(url):\n    return (summary({get}) for _ in range(3))",
                               ["print(list(sizes(url)))"]),
        "loop_lambda_body": ("", ["fs = []", "for _ in range(2):",
                                  f"    fs.append(lambda: summary({get}))",
                                  "print([f() for f in fs])"]),
        "hoist_with": ("", ["for _ in range(2):", f"    with {ctor} as s:",
                            f"        print(summary(s.get({SMALL})))"]),
        "hoist_closes_itself": ("", ["for _ in range(2):", f"    s = {ctor}",
                                     f"    print(summary(s.get({SMALL})))", "    s.close()"]),
        "hoist_args_depend": ("", ["for i in range(2):",
                                   f"    with {echo}({tagged}) as s:", *tag_store,
                                   '        print(s.get(url + "echo").text)']),
        "hoist_state_persists": ("", ["for i in range(2):", f"    with {ctor} as s:",
                                      "        if i == 0:",
                                      '            s.headers["X-Tag"] = "first"',
                                      '        print(s.get(url + "echo").text)']),
        "shortcut": ("", [f"print(summary({ctor}.get({SMALL})))"]),
        "shortcut_stream": ("", [f"r = {ctor}.get({CHUNKED}{stream})",
                                 "print(r.status_code, len(r.content))"]),
    }


# --------------------------------------------------------------------------
# Enclosing scopes and wrappers


def _indent(lines: Lines, by: int = 1) -> Lines:
    return [("    " * by + line) if line else line for line in lines]


def enclose(lines: Lines, enclosing: str, is_async: bool) -> Lines:
    """``main(url)`` running ``lines`` in a function, a method or a nested function."""
    df = "async def" if is_async else "def"
    if enclosing == "func":
        outer = [f"{df} run(url):", *_indent(lines)]
        call = "run(url)"
    elif enclosing == "method":
        outer = ["class Job:", f"    {df} run(self, url):", *_indent(lines, 2)]
        call = "Job().run(url)"
    else:  # nested: main builds the function it runs
        outer = []
        inner = [f"{df} inner():", *_indent(lines)]
        call = "inner()"
        return ["def main(url):", *_indent(inner),
                f"    {'asyncio.run(' + call + ')' if is_async else call}"]
    return [*outer, "", "", "def main(url):",
            f"    {'asyncio.run(' + call + ')' if is_async else call}"]


WRAPPERS: dict[str, Callable[[Lines], Lines]] = {
    "none": lambda lines: lines,
    "if": lambda lines: ["if url:", *_indent(lines)],
    "try": lambda lines: ["try:", *_indent(lines), "except Exception as e:",
                          '    print("caught", type(e).__name__)'],
    "once": lambda lines: ["for _ in range(1):", *_indent(lines)],
    "padded": lambda lines: ['print("begin")', *lines, 'print("end")'],
}


def assemble(imports: set[str], helpers: list[str], body: Lines, enclosing: str,
             is_async: bool) -> str:
    stdlib = ["import asyncio", "import concurrent.futures", "import functools",
              "import threading"]
    text = "\n".join(body)
    used = [name for name in stdlib if name.split()[-1].split(".")[0] + "." in text]
    if is_async and "import asyncio" not in used:
        used.insert(0, "import asyncio")
    head = [*used, "", *sorted(imports)] if used else sorted(imports)
    parts = ["\n".join(head), *helpers, "\n".join(enclose(body, enclosing, is_async))]
    return "\n\n\n".join(parts) + "\n"


def _helpers_used(available: dict[str, str], code: str) -> list[str]:
    """Helpers the code calls, with the helpers those call (``later`` uses
    ``summary``), in a stable order."""
    chosen = [text for name, text in available.items()
              if name != "summary" and re.search(rf"\b{name}\b", code)]
    if re.search(r"\bsummary\b", code + "".join(chosen)):
        chosen.insert(0, available["summary"])
    return chosen


# --------------------------------------------------------------------------
# The programs


def _program(pid: str, imports: set[str], body: Lines, is_async: bool, enclosing: str,
             wrapper: str, session: Session | None = None, extra: str = "",
             unsafe: bool = False) -> Program:
    body = WRAPPERS[wrapper](body)
    helpers = _helpers_used(helpers_for(session, is_async), extra + "\n".join(body))
    if extra:
        helpers.append(extra)
    name = pid if wrapper == "none" else f"{pid}-{wrapper}"
    return Program(f"{name}-{enclosing}" if enclosing != "func" else name,
                   assemble(imports, helpers, body, enclosing, is_async), unsafe)


def _outer(outer: str | None, lines: Lines) -> Lines:
    return [outer, *_indent(lines)] if outer else lines


def all_programs(enclosings: tuple[str, ...] = ("func", "method", "nested"),
                 wrappers: tuple[str, ...] = ("none",)) -> Iterator[Program]:
    """Every combination: resources x shapes x enclosing scopes x wrappers."""
    for enclosing in enclosings:
        for wrapper in wrappers:
            yield from _session_programs(enclosing, wrapper)
            yield from _stream_programs(enclosing, wrapper)
            yield from _manager_programs(enclosing, wrapper)
            yield from _loop_programs(enclosing, wrapper)


def _session_programs(enclosing: str, wrapper: str) -> Iterator[Program]:
    for lib in SESSIONS:
        for name, shape in SESSION_SHAPES.items():
            body = shape(lib)
            if body is not None:
                yield _program(f"{name}-{lib.key}", {lib.imports}, body, lib.is_async,
                               enclosing, wrapper, lib)
        for name, conditional in CONDITIONAL_SHAPES.items():
            helper, body = conditional(lib)
            yield _program(f"{name}-{lib.key}", {lib.imports}, body, lib.is_async,
                           enclosing, wrapper, lib, extra=helper)


def _stream_programs(enclosing: str, wrapper: str) -> Iterator[Program]:
    for lib in STREAMS:
        for name, (shape, per_iterator) in STREAM_SHAPES.items():
            for it in (lib.iterators if per_iterator else [next(iter(lib.iterators))]):
                body = shape(lib, it)
                if body is None:
                    continue
                pid = f"stream_{name}-{lib.key}" + (f"-{it}" if per_iterator else "")
                yield _program(pid, {lib.imports}, _outer(lib.outer, body), lib.is_async,
                               enclosing, wrapper)


def _manager_programs(enclosing: str, wrapper: str) -> Iterator[Program]:
    for key, (imports, is_async, outer, bind, use) in MANAGER_BINDINGS.items():
        yield _program(f"manager_binding-{key}", {imports}, _outer(outer, [bind, *use]),
                       is_async, enclosing, wrapper)


def _loop_programs(enclosing: str, wrapper: str) -> Iterator[Program]:
    for mod in FUNCTIONAL:
        for name, (helper, body) in loop_shapes(mod).items():
            yield _program(f"{name}-{mod}", {f"import {mod}"}, body, False, enclosing, wrapper,
                           extra=helper, unsafe=True)


def _stable_fraction(pid: str) -> float:
    """A hash of the id in [0, 1): a sample that never depends on order or
    on Python's per-process string hashing."""
    return int(hashlib.sha256(pid.encode()).hexdigest()[:8], 16) / 2**32


def ci_programs() -> list[Program]:
    """The CI set: every shape in a module function, and a seeded third of
    them again as a method or nested function."""
    programs = list(all_programs(("func",)))
    programs += [p for p in all_programs(("method", "nested")) if _stable_fraction(p.id) < 0.2]
    return _unique(programs)


def long_programs() -> list[Program]:
    """Thousands: every shape in every enclosing scope under every wrapper."""
    return _unique(list(all_programs(wrappers=tuple(WRAPPERS))))


def _unique(programs: list[Program]) -> list[Program]:
    seen: dict[str, Program] = {}
    for program in programs:
        seen.setdefault(program.id, program)
    return list(seen.values())
