"""CCL005: a session created inline for one call and thrown away."""

from __future__ import annotations

import ast
from typing import Iterator

from flake8_connclose.findings import Finding
from flake8_connclose.planning.shortcut import plan_shortcut
from flake8_connclose.resources import EXIT_METHODS
from flake8_connclose.rules.base import Context, Rule, api

RULE = Rule(
    code="CCL005",
    name="throwaway-session",
    summary="A session is created for a single call and never closed.",
    message="`{api}()` is created for one call and never closed; use {remedy} instead",
    fix="sometimes",
    fix_safety="""
It rewrites `requests.Session().get(url)` to
`requests.get(url)` (spelling the module as the code does: `rq.Session().get`
becomes `rq.get`), because the functional call builds and closes a session
just the same. There is no fix when the constructor takes arguments, the
client is async, the library has no such functional call, or the module
itself is not imported (`from requests import Session`).
""",
    what_it_does="""
Checks for a method called directly on a freshly constructed session:
`requests.Session().get(url)`, `httpx.Client().post(...)`,
`http.client.HTTPConnection(host).request(...)`,
`urllib3.PoolManager().request(...)`, `curl_cffi.requests.Session().get(...)`.
""",
    why_is_this_bad="""
The session is never bound, so nothing can close it: its connection pool
stays open until the garbage collector finds it. It also reuses nothing, so
it buys none of what a session is for.
""",
    example="""
import requests

def status(url):
    return requests.Session().get(url).status_code
""",
    use_instead="""
import requests

def status(url):
    return requests.get(url).status_code
""",
    references=(
        "[requests: Session objects](https://requests.readthedocs.io/en/latest/user/advanced/#session-objects)",
    ),
    valid=(
        """
import requests

def status(url):
    with requests.Session() as s:
        return s.get(url).status_code
""",
    ),
    planner=plan_shortcut,
    fix_summary="`requests.Session().get(u)` becomes `requests.get(u)` (no constructor arguments, not in a loop)",
    applicability="safe",
)

_ENTER = frozenset({"__enter__", "__aenter__"})


def check(ctx: Context) -> Iterator[Finding]:
    analysis = ctx.analysis
    for site in analysis.calls:
        if not site.session:
            continue
        attribute = analysis.parent(site.call)
        not_a_use = site.library.close_methods | EXIT_METHODS | _ENTER
        if not isinstance(attribute, ast.Attribute) or attribute.attr in not_a_use:
            continue
        method_call = analysis.parent(attribute)
        if not (isinstance(method_call, ast.Call) and method_call.func is attribute):
            continue
        callee = api(site.call)
        if attribute.attr in site.library.functional and not _has_arguments(site.call):
            module = callee.rsplit(".", 1)[0] if "." in callee else site.library.module
            remedy = f"`{module}.{attribute.attr}()`"
        elif site.library.session_is_context_manager:
            remedy = f"`with {callee}(...) as session:`"
        else:
            remedy = f"`with contextlib.closing({callee}(...)) as conn:`"
        fixable = RULE.fixable(analysis, site)
        yield RULE.finding(site.call, ctx.columns, fixable=fixable, api=callee, remedy=remedy)


def _has_arguments(call: ast.Call) -> bool:
    return bool(call.args or call.keywords)
