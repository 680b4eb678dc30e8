"""CCL001: a session bound to a local name and not closed on every path."""

from __future__ import annotations

import ast
from typing import Iterator

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.findings import Finding
from flake8_connclose.planning.common import NotFixable, Plan
from flake8_connclose.planning.wrap import plan_wrap
from flake8_connclose.resources import (
    Disposition,
    Fate,
    bound_names,
    disposition,
    judge_names,
)
from flake8_connclose.rules.base import Context, Rule, api

# Why a session bound by a walrus, a chained or tuple assignment or a
# fallback is not wrapped: `with` binds one name to what it created.
BOUND_OTHERWISE = ("bound by a walrus, a chained or tuple assignment, or as a fallback "
                   "(`given or ctor()`): no `with` can take its place")


def plan(analysis: Analysis, site: CallSite) -> Plan | NotFixable:
    if disposition(analysis, site.call)[0] is Disposition.BOUND:
        return NotFixable(BOUND_OTHERWISE)
    return plan_wrap(analysis, site)


RULE = Rule(
    code="CCL001",
    name="unclosed-session",
    summary="A session or client created in a function is not closed on every path.",
    message="`{api}()` session `{name}` is not closed on every path; {remedy}",
    fix="sometimes",
    fix_safety="""
`s = requests.Session()` and the statements after it, through
the last one in the same block that uses `s` or anything derived from it
(an alias, a bound method, a response of an httpx or aiohttp client, a
generator over it: the lifetime rule of [fixes.md](../fixes.md)), become
`with requests.Session() as s:`; a trailing happy-path `s.close()` is removed
(kept inside the `with` when a comment rides on it). Async sessions get
`async with`, only inside `async def`. There is no fix (the finding is "not
fixable", the file is left as it was) when something derived from the
session may outlive the block (returned, stored, read by a nested function,
handed to a task, thread or executor), when the name is rebound or deleted,
is a parameter, is created conditionally or in a loop and used after that
block, or shares a line with another statement, when closing would close
what others share (an aiohttp `connector=`) or call an adapter's missing
`close()`, or when the session comes from a configured factory. A session with no context
manager of its own (`http.client.HTTPConnection`) is wrapped as
`with contextlib.closing(http.client.HTTPConnection(...)) as conn:` and
`import contextlib` is added; `ws = await websockets.connect(url)` becomes
`async with websockets.connect(url) as ws:`.
""",
    what_it_does="""
Checks for a `requests.Session`, `httpx.Client`/`AsyncClient` or
`aiohttp.ClientSession` (or a same-module function that only builds and
returns one) that a function binds to a local name and then neither enters
with `with`/`async with` nor closes in a `finally:` block, and that does not
leave the function (returned, yielded, stored on an attribute or in a
container, or handed to a constructor that takes it over).

The same holds for `http.client.HTTPConnection`/`HTTPSConnection` (closed by
`close()` or `contextlib.closing`), urllib3's `PoolManager`, `ProxyManager`,
`HTTPConnectionPool`, `HTTPSConnectionPool` and `connection_from_url`
(`clear()` closes a manager, `close()` a pool), `curl_cffi.requests.Session`
and `AsyncSession`, an awaited `websockets.connect(...)` (`ws = await
connect(url)`) and the threading client's `websockets.sync.client.connect(...)`.

At run time, `pytest --connclose` and `python -m flake8_connclose.trace`
report a session or client left open with this same code, at the line that created it;
see [the runtime companion](../runtime.md).
""",
    why_is_this_bad="""
A session owns a connection pool. If it is never closed, or closed only on
the happy path, an exception between creation and `close()` leaves its
sockets open until the garbage collector happens to run: `ResourceWarning:
unclosed <socket>`, "too many open files" under load, and aiohttp's
"Unclosed client session" warning.
""",
    example="""
import requests

def fetch_user(user_id):
    session = requests.Session()
    session.headers["Accept"] = "application/json"
    response = session.get(f"https://api.example.com/users/{user_id}")
    session.close()  # skipped if the request raises
    return response.json()
""",
    use_instead="""
import requests

def fetch_user(user_id):
    with requests.Session() as session:
        session.headers["Accept"] = "application/json"
        response = session.get(f"https://api.example.com/users/{user_id}")
    return response.json()
""",
    options="""
- `session-factories` (`--connclose-session-factories`): extra dotted names of
  callables that return a session, e.g. `myapp.http.make_session`.
""",
    known_problems="""
Ownership is judged within one function. Passing the session to an ordinary
helper function does not count as handing it over; passing it to a class
(a capitalised callable) does. A closure that reads the session is assumed to
take shared ownership, so it is not reported. A same-module function counts
as a constructor only when it builds the session it returns: not one that
hands out a module-level session or the session it was passed, nor a
decorated one (`@lru_cache` returns the same session to every caller).
""",
    references=(
        "[requests: Session objects](https://requests.readthedocs.io/en/latest/user/advanced/#session-objects)",
        "[httpx: Client instances](https://www.python-httpx.org/advanced/clients/)",
        "[aiohttp: ClientSession](https://docs.aiohttp.org/en/stable/client_reference.html)",
        "[http.client: HTTPConnection.close](https://docs.python.org/3/library/http.client.html#http.client.HTTPConnection.close)",
        "[urllib3: PoolManager.clear](https://urllib3.readthedocs.io/en/stable/reference/urllib3.poolmanager.html)",
        "[websockets: connect (asyncio client)](https://websockets.readthedocs.io/en/stable/reference/asyncio/client.html)",
    ),
    valid=(
        """
import requests

def ok():
    with requests.Session() as s:
        return s.get("https://example.com").text
""",
        """
import requests

def ok():
    s = requests.Session()
    try:
        return s.get("https://example.com").text
    finally:
        s.close()
""",
        """
import requests

def make_session():
    s = requests.Session()
    s.headers["User-Agent"] = "me"
    return s
""",
    ),
    planner=plan,
    fix_summary="`s = requests.Session()` and its uses become `with requests.Session() as s:` (`async with` for an async session, only in `async def`); a trailing happy-path `s.close()` goes",
    applicability="safe",
)


def check(ctx: Context) -> Iterator[Finding]:
    analysis = ctx.analysis
    for site in analysis.calls:
        if not site.session or not site.scope.is_function:
            continue
        how, stmt = disposition(analysis, site.call)
        if how not in (Disposition.NAME, Disposition.BOUND):
            continue
        names = bound_names(analysis, site.call)
        if any(name in site.scope.outer_names for name in names):
            continue
        name = names[0]
        if judge_names(analysis, site, names) is Fate.LEAKS:
            fixable = RULE.fixable(analysis, site)
            yield RULE.finding(site.call, ctx.columns, fixable=fixable, api=api(site.call),
                               name=name, remedy=_remedy(analysis, site, name))


def _remedy(analysis: Analysis, site: CallSite, name: str) -> str:
    """`with` around a session made here; for a fallback (`given or ctor()`)
    a `with` would close the caller's session too."""
    if isinstance(analysis.parent(site.call), (ast.BoolOp, ast.IfExp)):
        return f"close `{name}` in a `finally:` when this function created it"
    with_ = "async with" if site.is_async else "with"
    return f"use `{with_} {_opened(site)} as {name}:`"


def _opened(site: CallSite) -> str:
    """What the remedy's `with` enters: the session, or `contextlib.closing`
    of one that is no context manager (`http.client.HTTPConnection`)."""
    opened = f"{api(site.call)}(...)"
    if site.library.session_is_context_manager:
        return opened
    return f"contextlib.closing({opened})"
