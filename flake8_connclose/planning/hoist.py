"""CCL004 (unsafe): hoist `with ctor(...) as s:` out of a loop.

Unsafe because one session then keeps cookies and connection state across
iterations. Only the plain shape is hoisted: a `with` of one constructor,
directly in a loop body, whose arguments do not depend on the loop.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.planning.common import (
    NotFixable,
    PlanDefaults,
    block_of,
    SHARES_LINES,
    shares_lines,
    statement_region,
)
from flake8_connclose.resources import uses

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_PER_EVALUATION = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)
# Session methods that change what its later requests send.
_CHANGING_METHODS = frozenset({"mount"})


@dataclass(frozen=True)
class HoistPlan(PlanDefaults):
    """The `with` at (with_line, with_col) is dissolved into its loop body and
    re-created around the loop statement at (loop_line, loop_col)."""

    loop_line: int
    loop_col: int
    with_line: int
    with_col: int
    region: tuple[int, int]


def plan_hoist(analysis: Analysis, site: CallSite) -> HoistPlan | NotFixable:
    item = analysis.parent(site.call)
    stmt = analysis.parent(item) if isinstance(item, ast.withitem) else None
    if not (isinstance(stmt, (ast.With, ast.AsyncWith)) and len(stmt.items) == 1):
        return NotFixable("only a `with` of the constructor alone is hoisted")
    if not isinstance(analysis.parent(stmt), _LOOPS):
        return NotFixable("the `with` is not directly in the loop body")
    loop = _outermost_loop(analysis, stmt, site.scope.node)
    refusal = _refusal(analysis, site, stmt, loop)
    if refusal:
        return NotFixable(refusal)
    return HoistPlan(loop.lineno, loop.col_offset, stmt.lineno, stmt.col_offset,
                     statement_region(loop))


def _outermost_loop(analysis: Analysis, node: ast.AST, scope: ast.AST) -> ast.stmt:
    found: ast.stmt | None = None
    for parent in analysis.ancestors(node):
        if parent is scope:
            break
        if isinstance(parent, _LOOPS):
            found = parent
    assert found is not None
    return found


def _refusal(analysis: Analysis, site: CallSite, stmt: ast.With | ast.AsyncWith,
             loop: ast.stmt) -> str:
    block = block_of(analysis, loop)
    if block is None or shares_lines(block) or stmt.body[0].lineno == stmt.lineno:
        return f"the loop or the `with` {SHARES_LINES}"
    if any(isinstance(n, _PER_EVALUATION) for arg in _arguments(site.call)
           for n in ast.walk(arg)):
        return "the constructor's arguments are computed per iteration"
    assigned = {n.id for n in ast.walk(loop) if isinstance(n, ast.Name)
                and not isinstance(n.ctx, ast.Load)}
    used = {n.id for arg in _arguments(site.call) for n in ast.walk(arg)
            if isinstance(n, ast.Name)}
    if used & assigned:
        return f"the constructor's arguments depend on the loop (`{sorted(used & assigned)[0]}`)"
    if used & _changed_in(loop):
        return f"the constructor's arguments depend on `{sorted(used & _changed_in(loop))[0]}`, " \
               "which the loop changes"
    target = stmt.items[0].optional_vars
    if target is not None and not isinstance(target, ast.Name):
        return "the `with` target is not a plain name"
    if isinstance(target, ast.Name):
        return _target_refusal(analysis, site, stmt, target.id)
    return ""


def _target_refusal(analysis: Analysis, site: CallSite, stmt: ast.With | ast.AsyncWith,
                    name: str) -> str:
    scope = site.scope
    if len(scope.stores.get(name, ())) > 1 or scope.deletes.get(name):
        return f"`{name}` is bound elsewhere too"
    reads = uses(analysis, name, scope)
    inside = {id(n) for s in stmt.body for n in ast.walk(s)}
    if any(id(use) not in inside for use in reads):
        return f"`{name}` is used outside its `with`"
    return _carried_over(analysis, site, stmt, reads)


def _carried_over(analysis: Analysis, site: CallSite, stmt: ast.With | ast.AsyncWith,
                  reads: list[ast.Name]) -> str:
    """Why one session would carry state from one iteration to the next that a
    session per iteration never did: it is closed, or changed after it was
    first used (or only on some iterations). Setting it up afresh at the top
    of each iteration, before any request, carries nothing over."""
    closes = site.library.closes(True)
    position = {id(s): i for i, s in enumerate(stmt.body)}
    setup = len(stmt.body)  # statements before the first request are set-up
    changes: list[tuple[ast.Name, str, int | None]] = []
    for use in reads:
        index = next((position[id(a)] for a in (use, *analysis.ancestors(use))
                      if id(a) in position), None)
        change = _changes_session(analysis, use, closes)
        if change:
            changes.append((use, change, index))
        elif index is not None:
            setup = min(setup, index)
    for use, change, index in changes:
        if change == "closes" or index is None or index >= setup \
                or not _is_simple(stmt.body[index]):
            return (f"the loop {change} `{use.id}` (line {use.lineno}), which the next "
                    "iteration would see")
    return ""


def _is_simple(stmt: ast.stmt) -> bool:
    return isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Delete))


def _changes_session(analysis: Analysis, use: ast.Name, closes: frozenset[str]) -> str:
    """Does this use close the session or change its state (an attribute, a
    header, a mount), which a session per iteration never carried over?"""
    attribute = analysis.parent(use)
    if not isinstance(attribute, ast.Attribute):
        return ""
    if not isinstance(attribute.ctx, ast.Load):
        return "changes"  # `s.auth = ...`
    above = analysis.parent(attribute)
    if isinstance(above, ast.Call) and above.func is attribute:  # `s.mount(...)`
        if attribute.attr in closes:
            return "closes"
        return "changes" if attribute.attr in _CHANGING_METHODS else ""
    if isinstance(above, ast.Subscript) and not isinstance(above.ctx, ast.Load):
        return "changes"  # `s.headers["X"] = ...`
    if isinstance(above, ast.Attribute) and isinstance(analysis.parent(above), ast.Call):
        return "changes"  # `s.headers.update(...)`, `s.cookies.clear()`
    return ""


def _changed_in(loop: ast.stmt) -> set[str]:
    """Names whose object the loop may change: stored into (`d[k] = v`,
    `o.x = v`) or called a method on (`headers.update(...)`)."""
    changed = set()
    for node in ast.walk(loop):
        if isinstance(node, (ast.Attribute, ast.Subscript)) and not isinstance(node.ctx, ast.Load):
            changed.add(_root(node))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            changed.add(_root(node.func.value))
    return changed - {""}


def _root(node: ast.expr) -> str:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def _arguments(call: ast.Call) -> list[ast.expr]:
    return list(call.args) + [kw.value for kw in call.keywords]
