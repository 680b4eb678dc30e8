"""CCL002: a streaming response that is not closed on every path."""

from __future__ import annotations

import ast
from typing import Iterator

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.findings import Finding
from flake8_connclose.planning.common import NotFixable, Plan
from flake8_connclose.planning.inline import plan_inline
from flake8_connclose.planning.wrap import plan_wrap
from flake8_connclose.resources import (
    Disposition,
    Fate,
    bound_names,
    disposition,
    judge,
    judge_names,
    uses,
)
from flake8_connclose.names import callee_name
from flake8_connclose.rules.ccl001 import BOUND_OTHERWISE
from flake8_connclose.rules.base import Context, Rule, api


def plan(analysis: Analysis, site: CallSite) -> Plan | NotFixable:
    """A bound stream is wrapped with its uses; an inline one is bound first."""
    if _comprehension_of(analysis, site.call) is not None:
        return NotFixable("made in a comprehension: each response needs its own `with`")
    how = disposition(analysis, site.call)[0]
    if how is Disposition.BOUND:
        return NotFixable(BOUND_OTHERWISE)
    if how is Disposition.NAME:
        return plan_wrap(analysis, site)
    return plan_inline(analysis, site)


RULE = Rule(
    code="CCL002",
    name="unclosed-stream",
    summary="A streaming response is not closed on every path.",
    message="{kind} from `{api}()` is {problem}; {remedy}",
    fix="sometimes",
    fix_safety="""
A bound streaming response gets the same treatment as a
session under CCL001: `r = requests.get(url, stream=True)` and its uses become
`with requests.get(url, stream=True) as r:` (`with httpx.stream(...) as r:`,
`async with` for aiohttp, only inside `async def`). An httpx response from
`client.send(request, stream=True)` has no context manager of its own, so it
is wrapped as `with contextlib.closing(client.send(...)) as r:` and
`import contextlib` is added; an awaited one (`r = await client.send(...)`)
is followed by `try:` its uses and `finally: await r.aclose()`. The block
runs through the last use of the response or of anything derived from it
(`r.iter_content()`, `r.raw`, a generator over them: the lifetime rule of
[fixes.md](../fixes.md)). A response used inline and never bound is
bound first, `with requests.get(url, stream=True) as response:` around its
statement, when the request is the first thing that statement evaluates
(`data = requests.get(u, stream=True).raw.read()`, or a `for` over it); a
bare `requests.get(url, stream=True)` statement becomes `with ...: pass`.
An aiohttp response awaited outside `async with` (`resp = await
session.get(url)`) becomes `async with session.get(url) as resp:` around
its uses: the request's own manager releases the response on leaving (its
`content` stream read later extends the block like any derived value).
Otherwise, and in the cases listed under CCL001 (an iterator returned or
handed to a thread, rebinding, use after the block, ...), it is not fixed;
`x = client.stream(...)` is not fixed when `x` is awaited or entered as the
manager it is. `with urlopen(url) as r:` and urllib3's responses use
their own context managers; a statement `return urlopen(url).read()` goes
inside the `with` whole.
""",
    what_it_does="""
Checks for a streaming response that is neither entered with `with` nor
closed in a `finally:` block and does not leave the function:
`requests.get(url, stream=True)` (and the other verbs, on the functional API
or on a session), `httpx.stream(...)` and `client.stream(...)` used outside
`with` (they only work as context managers), and httpx's
`client.send(request, stream=True)`. A streaming response used inline and
never bound (`requests.get(url, stream=True).raw`) is reported too.

What counts as a stream, per library:

- requests and niquests: `stream=True` (a literal) on the functional API
  (`requests.get`, ..., `requests.request`) or on a session's verbs and
  `send` (`session.send(prepared, stream=True)`); on a niquests
  `AsyncSession`, `await s.get(url, stream=True)` (closed with `async with`).
- httpx and httpx2: `httpx.stream(...)` and `client.stream(...)` outside
  `with`, and `client.send(request, stream=True)`.
- aiohttp: `aiohttp.request(...)` outside `async with`, and a response
  awaited outside `async with` (`resp = await session.get(url)`, any verb
  but `head`, or `session.request(...)`) whose body is never read to its end
  (`await resp.read()`, `.text()`, `.json()`), that is never released or
  closed on every path, and that does not escape. Its remedy, and its fix,
  is `async with session.get(url) as resp:`.

Streams made in a comprehension (`[s.get(u, stream=True) for u in urls]`)
are reported when the comprehension is thrown away, or iterated (directly,
or through the name it is bound to, `.values()`, `.items()`) by a loop that
never closes its target. A stream closed on the spot
(`requests.get(u, stream=True).close()`) is not reported, and a stream
handed to the exception a `raise` builds does not escape.

Also, the standard library and urllib3: the response of `urllib.request.urlopen(...)` (bound, or inline as in
`urlopen(url).read()`), and a urllib3 response requested with
`preload_content=False` (`http.request(...)`, `pool.urlopen(...)` on a
manager or pool) that is not released (`release_conn()`, `close()`,
`drain_conn()`, `with`). curl_cffi's `stream=True` responses are not
reported: closing their session closes them, so the session is what must be
closed (CCL001); its `session.stream(...)` outside `with` is.

At run time, `pytest --connclose` and `python -m flake8_connclose.trace`
report a streaming response left open with this same code, at the line that created it;
see [the runtime companion](../runtime.md).
""",
    why_is_this_bad="""
A streamed body is read lazily, so the response holds its connection until it
is closed or read to the end. Closing the session does not close a response
that is still open. An unclosed stream keeps the socket busy: the pool logs
"Connection pool is full, discarding connection", the process runs out of
file descriptors, and Python warns `ResourceWarning: unclosed <socket>`.
""",
    example="""
import shutil
import requests

def download(url, path):
    response = requests.get(url, stream=True)
    response.raise_for_status()
    with open(path, "wb") as f:
        shutil.copyfileobj(response.raw, f)
""",
    use_instead="""
import shutil
import requests

def download(url, path):
    with requests.get(url, stream=True) as response:
        response.raise_for_status()
        with open(path, "wb") as f:
            shutil.copyfileobj(response.raw, f)
""",
    options="""
- `functional-modules` (`--connclose-functional-modules`): extra modules whose
  `get(..., stream=True)` and friends count.
""",
    known_problems="""
Only `stream=True` written as a literal is recognised, and only on the
functional API or a receiver known to hold a session (a name bound from a
constructor, a `with ... as` target, a parameter annotated with a session
type, or a `self` attribute assigned one). Returning the response, or an
iterator made from it (`r.iter_content()`, `r.raw`, also through a local
name or a generator expression over it), hands it to the caller and is not
reported.
""",
    references=(
        "[requests: Body content workflow](https://requests.readthedocs.io/en/latest/user/advanced/#body-content-workflow)",
        "[httpx: Streaming responses](https://www.python-httpx.org/quickstart/#streaming-responses)",
        "[urllib.request.urlopen: a context manager](https://docs.python.org/3/library/urllib.request.html#urllib.request.urlopen)",
        "[urllib3: Streaming and I/O, release_conn](https://urllib3.readthedocs.io/en/stable/advanced-usage.html#streaming-and-i-o)",
        "[pylint R1732 consider-using-with](https://pylint.readthedocs.io/en/stable/user_guide/messages/refactor/consider-using-with.html)",
    ),
    valid=(
        """
import requests

def ok(url):
    with requests.get(url, stream=True) as r:
        return r.headers
""",
        """
import httpx

def ok(url):
    with httpx.stream("GET", url) as r:
        return r.read()
""",
        """
import requests

def chunks(url):
    r = requests.get(url, stream=True)
    return r.iter_content(8192)
""",
    ),
    planner=plan,
    fix_summary="`r = requests.get(u, stream=True)` and its uses become `with requests.get(u, stream=True) as r:` (`contextlib.closing(...)` for an httpx `send(stream=True)`, `async with session.get(u) as r:` for an awaited aiohttp response); an inline stream is bound first when the request is the first thing its statement evaluates",
    applicability="safe",
)


def check(ctx: Context) -> Iterator[Finding]:
    analysis = ctx.analysis
    for site in analysis.calls:
        if not site.stream or isinstance(site.scope.node, ast.ClassDef):
            continue
        comprehension = _comprehension_of(analysis, site.call)
        if comprehension is not None:
            name = _comprehension_leaks(analysis, site, comprehension)
            if name is not None:
                yield _finding(ctx, site, name, bound=True, made_in_comprehension=True)
            continue
        how, where = disposition(analysis, site.call)
        if how in (Disposition.NAME, Disposition.BOUND):
            names = bound_names(analysis, site.call)
            if any(name in site.scope.outer_names for name in names):
                continue
            name = names[0]
            if _body_read(analysis, site, names):
                continue
            if judge_names(analysis, site, names) is Fate.LEAKS:
                yield _finding(ctx, site, name, bound=True,
                               fixable=RULE.fixable(analysis, site))
        elif how is Disposition.PASSED or (
                how is Disposition.INLINE and not _closed_on_the_spot(analysis, site)):
            yield _finding(ctx, site, "response", bound=False,
                           fixable=RULE.fixable(analysis, site))


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
# Calls that only look at a container of streams.
_LOOKS_ONLY = frozenset({"len", "print", "bool"})


def _comprehension_of(analysis: Analysis, call: ast.Call) -> ast.expr | None:
    """The comprehension whose element (or dict value) ``call`` makes, if any:
    `[s.get(u, stream=True) for u in urls]`."""
    node: ast.AST = call
    parent = analysis.parent(node)
    while isinstance(parent, ast.Await):
        node, parent = parent, analysis.parent(parent)
    if isinstance(parent, _COMPREHENSIONS) and not isinstance(node, ast.comprehension):
        return parent
    return None


def _comprehension_leaks(analysis: Analysis, site: CallSite, made: ast.expr) -> str | None:
    """The name under which a comprehension's streams are seen to leak:
    iterated by a `for` whose target is never closed, or bound to a name
    only ever iterated so; None when anything else may close them."""
    parent = analysis.parent(made)
    if isinstance(parent, (ast.For, ast.AsyncFor)) and parent.iter is made:
        return _leaking_target(analysis, site, parent.target)
    if isinstance(parent, ast.Expr):
        return "response"  # made and thrown away
    how, _ = disposition(analysis, made)
    if how is not Disposition.NAME:
        return None
    (name,) = bound_names(analysis, made)
    if name in site.scope.outer_names or judge_names(analysis, site, [name]) is not Fate.LEAKS:
        return None
    for use in uses(analysis, name, site.scope):
        iterated = _iterated(analysis, use)
        loop = analysis.parent(use)
        if iterated is not None:
            if _leaking_target(analysis, site, iterated) is None:
                return None
        elif not (isinstance(loop, ast.Call) and use in loop.args
                  and callee_name(loop) in _LOOKS_ONLY):
            return None  # subscripted, a method called, handed to a helper...
    return name


def _iterated(analysis: Analysis, use: ast.Name) -> ast.expr | None:
    """The loop target each stream of the container ``use`` is bound to:
    `for r in responses`, `for r in responses.values()`, `for u, r in
    responses.items()` (statements or comprehensions)."""
    node: ast.AST = use
    pick = None
    attribute = analysis.parent(use)
    call = analysis.parent(attribute) if attribute is not None else None
    if (isinstance(attribute, ast.Attribute) and attribute.attr in ("values", "items")
            and isinstance(call, ast.Call) and call.func is attribute and not call.args):
        node, pick = call, (1 if attribute.attr == "items" else None)
    loop = analysis.parent(node)
    if not (isinstance(loop, (ast.For, ast.AsyncFor, ast.comprehension)) and loop.iter is node):
        return None
    target = loop.target
    if pick is not None:
        if not (isinstance(target, ast.Tuple) and len(target.elts) == 2):
            return None
        return target.elts[pick]
    return target


def _leaking_target(analysis: Analysis, site: CallSite, target: ast.expr) -> str | None:
    if not isinstance(target, ast.Name) or target.id in site.scope.outer_names:
        return None
    return target.id if judge(analysis, site, target.id) is Fate.LEAKS else None


def _closed_on_the_spot(analysis: Analysis, site: CallSite) -> bool:
    """`requests.get(u, stream=True).close()`: closed as soon as it is made;
    `await (await session.get(u)).json()`: read to its end at once."""
    made: ast.AST = site.call
    while isinstance(analysis.parent(made), ast.Await):
        made = analysis.parent(made)  # type: ignore[assignment]
    attribute = analysis.parent(made)
    call = analysis.parent(attribute) if attribute is not None else None
    ends = site.library.closes(session=False) | site.library.body_readers
    return (isinstance(attribute, ast.Attribute) and attribute.attr in ends
            and isinstance(call, ast.Call) and call.func is attribute)


def _body_read(analysis: Analysis, site: CallSite, names: tuple[str, ...]) -> bool:
    """`await resp.text()`: an aiohttp body read to its end releases the connection."""
    readers = site.library.body_readers
    if not readers or site.context_only:
        return False
    for name in names:
        for use in uses(analysis, name, site.scope):
            attribute = analysis.parent(use)
            call = analysis.parent(attribute) if attribute is not None else None
            if (isinstance(attribute, ast.Attribute) and attribute.attr in readers
                    and isinstance(call, ast.Call) and call.func is attribute):
                return True
    return False


def _finding(ctx: Context, site: CallSite, name: str, bound: bool,
             fixable: bool = False, made_in_comprehension: bool = False) -> Finding:
    callee = api(site.call)
    if made_in_comprehension:
        problem = f"made in a comprehension and `{name}` is never closed"
    elif site.context_only:
        problem = "used outside `with`, so it is never closed"
    elif bound:
        problem = "not closed on every path"
    else:
        problem = "used inline and never closed"
    is_async = site.is_async or (site.context_only and site.library.context_only_is_async)
    kw = "async with" if site.scope.is_async and is_async else "with"
    if made_in_comprehension:
        remedy = f"make each one in a loop, entered with `{kw}` where it is used"
    elif site.library.response_is_context_manager or site.context_only:
        remedy = f"use `{kw} {callee}(...) as {name}:`"
    elif site.is_async:
        remedy = f"call `await {name}.aclose()` in a `finally:`"
    else:
        remedy = f"use `with contextlib.closing({callee}(...)) as {name}:`"
    # `urlopen()` returns a plain response, not one asked to stream, and every
    # aiohttp response holds its connection until released.
    plain = site.library.responses | site.library.released_responses
    kind = "response" if site.member in plain else "streaming response"
    return RULE.finding(site.call, ctx.columns, fixable=fixable, api=callee, problem=problem,
                        remedy=remedy, kind=kind)
