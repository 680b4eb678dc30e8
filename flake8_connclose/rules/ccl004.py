"""CCL004: a session constructed inside a loop."""

from __future__ import annotations

from typing import Iterator

from flake8_connclose.findings import Finding
from flake8_connclose.planning.hoist import plan_hoist
from flake8_connclose.resources import (
    Disposition,
    Fate,
    bound_names,
    disposition,
    judge_names,
)
from flake8_connclose.rules.base import Context, Rule, api

RULE = Rule(
    code="CCL004",
    name="session-in-loop",
    summary="A session or client is constructed on every iteration of a loop.",
    message="`{api}()` is constructed inside a loop, a new connection pool per iteration; "
            "create it once before the loop",
    fix="sometimes",
    fix_safety="""
One session then keeps cookies and connection state across iterations. A
`with ctor(...) as s:` directly in a loop body is hoisted around the
outermost loop of the function (`async with` stays `async with`), when the
constructor's arguments compute nothing per iteration (no calls) and use no
name the loop assigns, and `s` is used only inside that `with`. A session
bound with `s = ctor()` in the loop is first wrapped by the CCL001 fix, then
hoisted. Anything else is not fixed.
""",
    what_it_does="""
Checks for a session or client constructed in the body of a loop (or in a
comprehension's element), even when each one is entered with `with`.
Sessions that are kept, one per iteration (appended to a list, stored,
returned or yielded), are not reported: that is a deliberate pool. Covers
every row's sessions (`http.client` connections and urllib3 managers and
pools too) except websockets: a connection per iteration there is how a
client reconnects.
""",
    why_is_this_bad="""
A session exists to reuse connections. Building one per iteration throws
that away: every iteration opens new sockets, repeats the TLS handshake and,
when the session is not closed, leaks the previous pool.
""",
    example="""
import requests

def sync(ids):
    for item_id in ids:
        with requests.Session() as session:
            session.put(f"https://api.example.com/items/{item_id}", json={})
""",
    use_instead="""
import requests

def sync(ids):
    with requests.Session() as session:
        for item_id in ids:
            session.put(f"https://api.example.com/items/{item_id}", json={})
""",
    references=(
        "[requests: Session objects](https://requests.readthedocs.io/en/latest/user/advanced/#session-objects)",
    ),
    valid=(
        """
import requests

def pool(n):
    return [requests.Session() for _ in range(n)]
""",
        """
import requests

def clients(hosts):
    sessions = {}
    for host in hosts:
        s = requests.Session()
        sessions[host] = s
    return sessions
""",
    ),
    planner=plan_hoist,
    fix_summary="`for ...: with requests.Session() as s:` becomes `with requests.Session() as s: for ...:`, when the constructor's arguments do not depend on the loop",
    applicability="unsafe",
)


def check(ctx: Context) -> Iterator[Finding]:
    analysis = ctx.analysis
    for site in analysis.calls:
        if not (site.session and site.in_loop and site.library.session_in_loop_is_waste):
            continue  # a websocket per iteration is a reconnect loop, not a lost pool
        how, where = disposition(analysis, site.call)
        if how in (Disposition.ESCAPES, Disposition.OTHER):
            continue
        if how in (Disposition.NAME, Disposition.BOUND):
            names = bound_names(analysis, site.call)
            if any(name in site.scope.outer_names for name in names) or judge_names(
                    analysis, site, names) is Fate.ESCAPES:
                continue
        yield RULE.finding(site.call, ctx.columns, api=api(site.call))
