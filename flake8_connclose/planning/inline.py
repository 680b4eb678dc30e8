"""CCL002 for a stream used inline: bind it with `with` first.

`data = requests.get(u, stream=True).raw.read()` becomes
`with requests.get(u, stream=True) as response: data = response.raw.read()`,
but only where the call is the first thing its statement evaluates, so that
nothing runs in a different order.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.names import free_name
from flake8_connclose.planning.common import (
    NotFixable,
    PlanDefaults,
    block_of,
    manager,
    SHARES_LINES,
    shares_lines,
    statement_region,
)


@dataclass(frozen=True)
class InlinePlan(PlanDefaults):
    """Wrap the statement at (line, col) in `with <call> as name:` and put
    ``name`` where the call was (its span in byte columns); with no name (the
    statement is the call alone), `with <call>: pass`."""

    line: int
    col: int
    call: tuple[int, int, int, int]
    name: str
    is_async: bool
    closing: bool
    region: tuple[int, int]

    @property
    def imports(self) -> frozenset[str]:
        return frozenset({"contextlib"}) if self.closing else frozenset()


def plan_inline(analysis: Analysis, site: CallSite) -> InlinePlan | NotFixable:
    if not site.scope.is_function:
        return NotFixable("not inside a function")
    stmt = _statement_evaluating_first(analysis, site.call)
    if stmt is None:
        return NotFixable("something in the statement runs before the request")
    block = block_of(analysis, stmt)
    if block is None or shares_lines(block):
        return NotFixable(f"the statement {SHARES_LINES}")
    how = manager(site)
    if isinstance(how, NotFixable):
        return how
    # A request made only for its effect is closed at once: `with <call>: pass`.
    bare = isinstance(stmt, ast.Expr) and stmt.value is site.call
    name = "" if bare else free_name(site.scope.node, "response", "stream_response",
                                     "http_response")
    call = site.call
    assert call.end_lineno is not None and call.end_col_offset is not None
    span = (call.lineno, call.col_offset, call.end_lineno, call.end_col_offset)
    return InlinePlan(stmt.lineno, stmt.col_offset, span, name, *how, statement_region(stmt))


def _statement_evaluating_first(analysis: Analysis, call: ast.Call) -> ast.stmt | None:
    """The statement whose evaluation starts with ``call``: the call is the
    base of an attribute/subscript/call chain that is the statement's
    expression, value (to plain names) or `for` iterable."""
    node: ast.AST = call
    parent = analysis.parent(node)
    while (isinstance(parent, (ast.Attribute, ast.Subscript)) and node is parent.value) or (
            isinstance(parent, ast.Call) and node is parent.func):
        node, parent = parent, analysis.parent(parent)
    if isinstance(parent, (ast.Expr, ast.Return)):
        return parent  # `return urlopen(u).read()`: the `with` holds the return
    if isinstance(parent, (ast.For, ast.AsyncFor)) and node is parent.iter:
        return parent
    if isinstance(parent, ast.Assign) and node is parent.value and all(
            isinstance(t, ast.Name) for t in parent.targets):
        return parent
    return None
