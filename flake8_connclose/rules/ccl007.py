"""CCL007: `session.keep_alive = False`, which no requests-like library reads."""

from __future__ import annotations

import ast
from typing import Iterator

from flake8_connclose.findings import Finding
from flake8_connclose.planning.keepalive import is_false, plan_header
from flake8_connclose.rules.base import Context, Rule

# The attribute the folklore sets; the table says which libraries it is told of.
_MYTH = "keep_alive"

RULE = Rule(
    code="CCL007",
    name="keep-alive-attribute",
    summary="`session.keep_alive = False` has no effect: nothing reads that attribute.",
    message="`{receiver}.keep_alive = False` has no effect, the session never reads it; "
            "send `Connection: close` (`{receiver}.headers[\"Connection\"] = \"close\"`) "
            "or close the session (`with`)",
    fix="sometimes",
    fix_safety="""
It rewrites `s.keep_alive = False` to `s.headers["Connection"] = "close"`,
which does what the line was written for: every request of the session then
asks the server to close the connection, so no connection is kept or reused.
That changes the traffic (a new connection per request), which is why the fix
is unsafe. Only a plain assignment of the literal `False` to one target is
rewritten.
""",
    what_it_does="""
Checks for `keep_alive = False` assigned on a session of requests, niquests
or curl_cffi: a local bound to a session (from a constructor or a
`with ... as`), a parameter annotated with a session type, or a `self`
attribute that holds one.
""",
    why_is_this_bad="""
A blog post and a much-copied answer from the requests 0.x days say that
`s.keep_alive = False` turns keep-alive off. It has done nothing since
requests 1.0: a `Session` keeps its settings in the attributes listed in
`Session.__attrs__` (`headers`, `cookies`, `auth`, `proxies`, `hooks`,
`params`, `verify`, `cert`, `adapters`, `stream`, `trust_env`,
`max_redirects`), and no code reads `keep_alive`; Python simply adds a new
attribute to the object. Connections stay pooled and kept alive, the
"too many open connections" the line was meant to cure goes on, and readers
of the code believe otherwise.
""",
    example="""
import requests

def fetch(url):
    with requests.Session() as s:
        s.keep_alive = False
        return s.get(url).text
""",
    use_instead="""
import requests

def fetch(url):
    with requests.Session() as s:
        s.headers["Connection"] = "close"
        return s.get(url).text
""",
    known_problems="""
Only the literal `False` is reported (`keep_alive = True` is as inert, but
harmless, and says what already happens), and only on a receiver known to
hold a session; `requests.session().keep_alive = False` on a throwaway
session is not looked at.
""",
    references=(
        "[requests: `Session.__attrs__`, the settings a Session has (src/requests/sessions.py)](https://github.com/psf/requests/blob/main/src/requests/sessions.py)",
        "[requests #4913: Turning off keep-alive (`s.keep_alive = False`: "
        "\"'Session' object has no attribute 'keep_alive'\")](https://github.com/psf/requests/issues/4913)",
        "[requests #5649: Document how to turn off Keep-Alive in 2.x](https://github.com/psf/requests/pull/5649)",
        "[Stack Overflow: python-requests 1.x, how to disable keep-alive](https://stackoverflow.com/questions/21008953/python-requests-1-how-to-disable-keep-alive)",
        "[requests: Keep-Alive](https://requests.readthedocs.io/en/latest/user/advanced/#keep-alive)",
    ),
    valid=(
        """
import requests

def fetch(url):
    with requests.Session() as s:
        s.headers["Connection"] = "close"
        return s.get(url).text
""",
        """
import httpx

def fetch(url, conn):
    conn.keep_alive = False
    with httpx.Client() as c:
        c.keep_alive = False
        return c.get(url).text
""",
    ),
    node_planner=plan_header,
    fix_summary="`s.keep_alive = False` becomes `s.headers[\"Connection\"] = \"close\"`",
    applicability="unsafe",
)


def check(ctx: Context) -> Iterator[Finding]:
    analysis = ctx.analysis
    for target, scope in analysis.attribute_stores:
        if target.attr != _MYTH:
            continue
        assign = analysis.parent(target)
        if not (isinstance(assign, ast.Assign) and is_false(assign.value)):
            continue
        library = analysis.resolver.receiver(target.value, scope)
        if library is not None and library.keep_alive_myth:
            yield RULE.finding(target, ctx.columns, receiver=ast.unparse(target.value))
