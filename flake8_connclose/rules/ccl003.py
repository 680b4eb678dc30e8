"""CCL003: the functional API called inside a loop."""

from __future__ import annotations

import ast
from typing import Iterator

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.findings import Finding
from flake8_connclose.planning.common import NotFixable, Plan
from flake8_connclose.planning.loop import plan_loop
from flake8_connclose.rules.base import Context, Rule, api


def plan(analysis: Analysis, site: CallSite) -> Plan | NotFixable:
    if site.indirect:
        return NotFixable("the API is called through `map()` or a `partial`, not written "
                          "in the loop")
    return plan_loop(analysis, site)


RULE = Rule(
    code="CCL003",
    name="functional-call-in-loop",
    summary="A module-level `requests.get`-style call runs once per loop iteration.",
    message="`{api}()` in a loop opens a new connection each time; "
            "create one `{session}()` before the loop and call `{receiver}.{method}()`",
    fix="sometimes",
    fix_safety="""
A shared session keeps cookies and connection state from one iteration to
the next, which can change behaviour. It wraps the outermost loop of the
function (or the statement holding the comprehension) in
`with requests.Session() as session:` (`httpx.Client() as client` for httpx),
with a name the function does not use, and routes every functional call of
that library in the loop through it, arguments unchanged; `import requests`
is added when the module only had `from requests import get`. Calls in a
nested function (an executor or thread callable) are never moved. No fix for
aiohttp, for a call with `*args`/`**kwargs` or more positional arguments than
the session method takes, or for an httpx call passing a client-level
argument (`verify`, `proxy`, `trust_env`, `cert`, ...).
""",
    what_it_does="""
Checks for calls to the functional API (`requests.get`, `requests.post`, ...,
`httpx.get`, ..., `httpx.stream`, `aiohttp.request`, `curl_cffi.requests.get`,
...) lexically inside the
body of a `for`/`async for`/`while` loop, the test of a `while`, or the
element or condition of a comprehension, in the same function.

The functional API reached indirectly counts too: `map(requests.get,
urls)`, `executor.map(requests.get, urls)` (any `.map`, `.imap`,
`.starmap`...), a `functools.partial(requests.get, ...)` called in a loop or
mapped, a module alias (`rq = requests`) and `from requests import *`.

Not reported: the `else:` of a loop, the iterable of a `for` statement or of
a comprehension's first `for` (each runs once), and the body of a `def`,
`lambda` or `class` nested in the loop. Nor `urllib.request.urlopen` (there
is no pool to reuse) or `urllib3.request` (it uses one shared module-level
pool).
""",
    why_is_this_bad="""
Each functional call builds a session, makes one request and throws the
session away, so no connection is ever reused: every iteration pays a new TCP
(and TLS) handshake and leaves a socket in TIME_WAIT. One session shared by
the loop keeps the connection alive and is often several times faster.
""",
    example="""
import requests

def fetch_all(urls):
    results = []
    for url in urls:
        results.append(requests.get(url, timeout=10).json())
    return results
""",
    use_instead="""
import requests

def fetch_all(urls):
    results = []
    with requests.Session() as session:
        for url in urls:
            results.append(session.get(url, timeout=10).json())
    return results
""",
    options="""
- `functional-modules` (`--connclose-functional-modules`): extra modules whose
  `get`, `post`, ... count as the functional API.
""",
    known_problems="""
A retry loop that usually runs once is reported like any other loop.
""",
    references=(
        "[requests: Session objects](https://requests.readthedocs.io/en/latest/user/advanced/#session-objects)",
        "[httpx: Why use a Client?](https://www.python-httpx.org/advanced/clients/#why-use-a-client)",
    ),
    valid=(
        """
import requests

def fetch_all(urls):
    with requests.Session() as session:
        return [session.get(url).json() for url in urls]
""",
        """
import requests

def first(urls):
    for url in urls:
        pass
    else:
        return requests.get(urls[0])
""",
        """
import requests

def pages():
    for item in requests.get("https://example.com/items").json():
        yield item
""",
    ),
    planner=plan,
    fix_summary="the outermost loop goes in `with requests.Session() as session:` (a free name) and each functional call in it goes through `session`",
    applicability="unsafe",
)


def check(ctx: Context) -> Iterator[Finding]:
    for site in ctx.analysis.calls:
        if (site.functional or site.indirect) and site.in_loop:
            session, receiver = _suggestion(ctx, site)
            written = ast.unparse(site.via) if site.via is not None else api(site.call)
            yield RULE.finding(site.call, ctx.columns, api=written, session=session,
                               receiver=receiver, method=site.member)


def _suggestion(ctx: Context, site: CallSite) -> tuple[str, str]:
    """The session to use instead, spelled with the user's own module alias."""
    lib = site.library
    func = site.via if site.via is not None else site.call.func
    base = lib.module
    if isinstance(func, ast.Attribute):
        if ctx.analysis.resolver.qualname(func.value, site.scope) == lib.module:
            base = ast.unparse(func.value)
    return f"{base}.{lib.loop_session}", lib.session_variable
