"""CCL001/CCL002: wrap a bound session or stream and its uses in `with`."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.planning.common import (
    NotFixable,
    PlanDefaults,
    block_of,
    manager,
    shares_lines,
    statement_region,
)
from flake8_connclose.resources import Disposition, disposition, owner, target_name, uses

_DUNDERS = frozenset({"__enter__", "__exit__", "__aenter__", "__aexit__"})


@dataclass(frozen=True)
class WrapPlan(PlanDefaults):
    """`name = <call>` at (line, col), then ``count`` statements that use it,
    becomes `[async ]with <call> as name:` around those statements."""

    line: int
    col: int
    name: str
    count: int
    drop_close: bool  # the last of those statements is a happy-path close
    is_async: bool
    closing: bool  # no context manager of its own: `contextlib.closing(...)`
    region: tuple[int, int]
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
    unawait = _entered_instead_of_awaited(site, stmt)
    if not isinstance(stmt, ast.Assign) or (stmt.value is not site.call and not unawait):
        return NotFixable("the assignment is annotated or awaited")
    if not site.scope.is_function:
        return NotFixable("not inside a function")
    name = target_name(stmt)
    cm = manager(site)
    if isinstance(cm, NotFixable):
        return cm
    span = _span(analysis, site, stmt, name)
    if isinstance(span, NotFixable):
        return span
    block, count, drop_close = span
    is_async, closing = cm
    index = next(i for i, s in enumerate(block) if s is stmt)
    return WrapPlan(stmt.lineno, stmt.col_offset, name, count, drop_close, is_async, closing,
                    statement_region(stmt, block[index + count]), unawait)


def _entered_instead_of_awaited(site: CallSite, stmt: ast.AST) -> bool:
    """`x = await ctor(...)` where the library's un-awaited call is itself an
    async context manager yielding the same object (`websockets.connect`)."""
    return (site.session and site.library.session_needs_await
            and isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Await)
            and stmt.value.value is site.call)


def _span(analysis: Analysis, site: CallSite, stmt: ast.Assign,
          name: str) -> tuple[list[ast.stmt], int, bool] | NotFixable:
    """The block, how many statements after ``stmt`` the `with` must hold,
    and whether the last is a trailing close to drop; or why no `with` can
    hold them."""
    block = block_of(analysis, stmt)
    if block is None or shares_lines(block):
        return NotFixable("the assignment shares a line with another statement")
    scope = site.scope
    if scope.deletes.get(name):
        return NotFixable(f"`{name}` is deleted with `del`")
    if len(scope.stores.get(name, ())) > 1 or name in scope.parameters:
        return NotFixable(f"`{name}` is rebound")
    reads = uses(analysis, name, scope)
    if any(owner(analysis, use, scope) is not scope.node for use in reads):
        return NotFixable(f"`{name}` is read by a nested function")
    if any(_entered_by_hand(analysis, use) for use in reads):
        return NotFixable(f"`{name}` is entered or exited by hand")
    index = next(i for i, s in enumerate(block) if s is stmt)
    last = index
    for k in range(index + 1, len(block)):
        if _mentions(block[k], name):
            last = k
    inside = {id(n) for s in block[index:last + 1] for n in ast.walk(s)}
    outside = [use for use in reads if id(use) not in inside]
    if outside:
        return NotFixable(_outside_reason(analysis, stmt, outside[0]))
    closes = site.library.closes(site.session)
    return block, last - index, last > index and _is_close(block[last], name, closes)


def _entered_by_hand(analysis: Analysis, use: ast.Name) -> bool:
    parent = analysis.parent(use)
    return isinstance(parent, ast.Attribute) and parent.attr in _DUNDERS


def _mentions(stmt: ast.stmt, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(stmt))


def _outside_reason(analysis: Analysis, stmt: ast.stmt, use: ast.Name) -> str:
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
