"""CCL001/CCL002: wrap a bound session or stream and its uses in `with`."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.planning.common import (
    NotFixable,
    PlanDefaults,
    block_of,
    closing_refusal,
    manager,
    names_refusal,
    SHARES_LINES,
    shares_lines,
    statement_region,
)
from flake8_connclose.lifetimes import lifetime
from flake8_connclose.resources import Disposition, disposition, owner, target_name, uses

_DUNDERS = frozenset({"__enter__", "__exit__", "__aenter__", "__aexit__"})


@dataclass(frozen=True)
class WrapPlan(PlanDefaults):
    """`name = <call>` at (line, col), then ``count`` statements that use it,
    becomes `[async ]with <call> as name:` around those statements; or, with
    ``finally_close``, stays and is followed by `try:` those statements
    `finally: await name.<finally_close>()` (an awaited stream with no
    context manager: httpx's `await client.send(..., stream=True)`)."""

    line: int
    col: int
    name: str
    count: int
    drop_close: bool  # the last of those statements is a happy-path close
    is_async: bool
    closing: bool  # no context manager of its own: `contextlib.closing(...)`
    region: tuple[int, int]
    finally_close: str = ""
    # `x = await ctor(...)` whose un-awaited call is entered instead:
    # `async with ctor(...) as x:` (websockets' `connect`).
    unawait: bool = False

    @property
    def imports(self) -> frozenset[str]:
        return frozenset({"contextlib"}) if self.closing else frozenset()


def plan_wrap(analysis: Analysis, site: CallSite) -> WrapPlan | NotFixable:
    how, stmt = disposition(analysis, site.call)
    if how is not Disposition.NAME:
        return NotFixable("used inline, never bound to a name")
    assert isinstance(stmt, (ast.Assign, ast.AnnAssign))
    finally_close = _awaited_stream_close(site, stmt)
    unawait = _entered_instead_of_awaited(site, stmt)
    if not isinstance(stmt, ast.Assign) or (
            stmt.value is not site.call and not finally_close and not unawait):
        return NotFixable("the assignment is annotated or awaited")
    if not site.scope.is_function:
        return NotFixable("not inside a function")
    name = target_name(stmt)
    cm = (True, False) if finally_close else manager(site)
    if isinstance(cm, NotFixable):
        return cm
    refusal = closing_refusal(analysis, site) or _binding_refusal(analysis, site, name) \
        or (cm[1] and names_refusal(analysis, "contextlib"))
    if refusal:
        return NotFixable(refusal)
    span = _span(analysis, site, stmt, name)
    if isinstance(span, NotFixable):
        return span
    block, count, drop_close = span
    is_async, closing = cm
    index = next(i for i, s in enumerate(block) if s is stmt)
    return WrapPlan(stmt.lineno, stmt.col_offset, name, count, drop_close, is_async, closing,
                    statement_region(stmt, block[index + count]), finally_close, unawait)


def _awaited_stream_close(site: CallSite, stmt: ast.Assign | ast.AnnAssign) -> str:
    """The async close method of an awaited stream that has no context
    manager (httpx's `r = await client.send(req, stream=True)`), else ""."""
    lib = site.library
    awaited = isinstance(stmt.value, ast.Await) and stmt.value.value is site.call
    if not (awaited and site.stream and site.is_async and site.scope.is_async
            and not lib.response_is_context_manager and not site.context_only):
        return ""
    return next((m for m in sorted(lib.response_close_methods) if m.startswith("a")), "")


def _entered_instead_of_awaited(site: CallSite, stmt: ast.AST) -> bool:
    """`x = await call(...)` where the library's un-awaited call is itself an
    async context manager yielding the same object: `websockets.connect`,
    aiohttp's `session.get` (whose manager releases the response)."""
    lib = site.library
    entered = (site.session and lib.session_needs_await) or (
        site.stream and site.member in lib.released_responses)
    return (entered and isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Await)
            and stmt.value.value is site.call)


def _span(analysis: Analysis, site: CallSite, stmt: ast.Assign,
          name: str) -> tuple[list[ast.stmt], int, bool] | NotFixable:
    """The block, how many statements after ``stmt`` the `with` must hold,
    and whether the last is a trailing close to drop; or why no `with` can
    hold them. The `with` ends after the last statement that uses the
    resource or anything derived from it (the lifetime rule)."""
    block = block_of(analysis, stmt)
    if block is None or shares_lines(block):
        return NotFixable(f"the assignment {SHARES_LINES}")
    scope = site.scope
    if scope.deletes.get(name):
        return NotFixable(f"`{name}` is deleted with `del`")
    if len(scope.stores.get(name, ())) > 1 or name in scope.parameters:
        return NotFixable(f"`{name}` is rebound")
    life = lifetime(analysis, site, name)
    if any(r.id == name and owner(analysis, r, scope) is not scope.node for r in life.reads):
        return NotFixable(f"`{name}` is read by a nested function")
    if any(_entered_by_hand(analysis, r) for r in life.reads if r.id == name):
        return NotFixable(f"`{name}` is entered or exited by hand")
    if life.escapes:
        first = min(life.escapes, key=lambda e: e.line)
        return NotFixable(f"{first.reason} on line {first.line}: it could outlive the `with`")
    index = next(i for i, s in enumerate(block) if s is stmt)
    position = {id(s): i for i, s in enumerate(block)}
    last = index
    for read in life.reads:
        k = _statement_index(analysis, read, position)
        if k is None or k < index:
            return NotFixable(_outside_reason(analysis, stmt, read, name))
        last = max(last, k)
    closes = site.library.closes(site.session)
    return block, last - index, last > index and _is_close(block[last], name, closes)


def _statement_index(analysis: Analysis, node: ast.AST, position: dict[int, int]) -> int | None:
    """The index of the statement of the block that holds ``node``, if any."""
    for ancestor in (node, *analysis.ancestors(node)):
        if id(ancestor) in position:
            return position[id(ancestor)]
    return None


def _binding_refusal(analysis: Analysis, site: CallSite, name: str) -> str:
    """`x = httpx.stream(...)` binds a context manager, `with ... as x` what
    entering it returns: the fix is right only if `x` is never used as the
    manager (awaited, entered)."""
    if not site.context_only:
        return ""
    for read in uses(analysis, name, site.scope):
        parent = analysis.parent(read)
        how = "awaited" if isinstance(parent, ast.Await) else "entered" if isinstance(
            parent, ast.withitem) and parent.context_expr is read else ""
        if how:
            return (f"`{name}` is {how} on line {read.lineno}: it holds the request's "
                    "context manager, which `with ... as` would replace with the response")
    return ""


def _entered_by_hand(analysis: Analysis, use: ast.Name) -> bool:
    parent = analysis.parent(use)
    return isinstance(parent, ast.Attribute) and parent.attr in _DUNDERS


def _outside_reason(analysis: Analysis, stmt: ast.stmt, use: ast.Name, name: str) -> str:
    if use.id != name:
        return (f"`{use.id}` (made from `{name}`) is used on line {use.lineno}, outside "
                f"the block that creates `{name}`")
    if use.lineno < stmt.lineno:
        return "used before it is created (in a loop)"
    parent = analysis.parent(stmt)
    if isinstance(parent, (ast.If, ast.Try, *_MATCH_NODES)):
        return "created conditionally and used after that block"
    if isinstance(parent, (ast.For, ast.AsyncFor, ast.While)):
        return "created in a loop and used after it"
    return "used after the block that creates it"


_MATCH_NODES: tuple[type[ast.AST], ...] = tuple(
    getattr(ast, name) for name in ("Match", "match_case") if hasattr(ast, name))


def _is_close(stmt: ast.stmt, name: str, closes: frozenset[str]) -> bool:
    """`name.close()` / `await name.close()` / `name.aclose()` as a statement."""
    if not isinstance(stmt, ast.Expr):
        return False
    call = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
    return (
        isinstance(call, ast.Call) and not call.args and not call.keywords
        and isinstance(call.func, ast.Attribute) and call.func.attr in closes
        and isinstance(call.func.value, ast.Name) and call.func.value.id == name
    )
