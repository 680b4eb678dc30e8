"""CCL901: a session created at module scope (opinionated, off by default)."""

from __future__ import annotations

from typing import Iterator

from flake8_connclose.findings import Finding
from flake8_connclose.resources import Disposition, Fate, bound_names, disposition, judge_names
from flake8_connclose.rules.base import Context, Rule, api

RULE = Rule(
    code="CCL901",
    name="module-level-session",
    summary="A session is created at module scope and never closed.",
    message="module-level session `{api}()` is never closed; create it where it is used, "
            "in a `with` block, or close it at exit",
    fix="none",
    fix_safety="There is no automatic fix.",
    default_enabled=False,
    what_it_does="""
Checks for a session or client created at module scope and bound to a global
name, unless the module enters it with `with` or closes it (for example
`atexit.register(session.close)`): any row's session, a
`urllib3.PoolManager()` or `http.client.HTTPSConnection(host)` too.
""",
    why_is_this_bad="""
A module-level session is created on import, shared by every caller and
thread of the process, and closed by nobody. requests does not promise that
a Session is thread-safe, its cookies leak between unrelated callers, and an
`aiohttp.ClientSession` created outside a running event loop is bound to the
wrong loop. This is an opinion, not always a bug, so the rule is off unless
selected.
""",
    example="""
import requests

SESSION = requests.Session()

def get_user(user_id):
    return SESSION.get(f"https://api.example.com/users/{user_id}").json()
""",
    use_instead="""
import requests

def get_user(user_id, session):
    return session.get(f"https://api.example.com/users/{user_id}").json()

def main():
    with requests.Session() as session:
        print(get_user(1, session))
""",
    options="""
Off by default. Select it with `flake8 --select CCL,CCL901` (or
`--extend-select CCL901`), or `connclose --extend-select CCL901`.
""",
    references=(
        "[requests: thread safety (issue #2766)](https://github.com/psf/requests/issues/2766)",
    ),
    valid=(
        """
import atexit
import requests

SESSION = requests.Session()
atexit.register(SESSION.close)
""",
    ),
)


def check(ctx: Context) -> Iterator[Finding]:
    analysis = ctx.analysis
    module = analysis.module_scope
    for site in analysis.calls:
        if not site.session or site.scope is not module:
            continue
        how, where = disposition(analysis, site.call)
        if how not in (Disposition.NAME, Disposition.BOUND):
            continue
        if judge_names(analysis, site, bound_names(analysis, site.call)) is not Fate.MANAGED:
            yield RULE.finding(site.call, ctx.columns, api=api(site.call))
