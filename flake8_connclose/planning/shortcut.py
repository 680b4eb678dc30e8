"""CCL005: `requests.Session().get(url)` -> `requests.get(url)`."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.planning.common import NotFixable, PlanDefaults


@dataclass(frozen=True)
class ShortcutPlan(PlanDefaults):
    """`mod.Session().verb(...)`: the constructor call at (line, byte col) goes,
    and `mod.verb(...)` remains."""

    line: int
    col: int
    end_line: int
    end_col: int

    @property
    def region(self) -> tuple[int, int]:
        return self.line, self.end_line


def plan_shortcut(analysis: Analysis, site: CallSite) -> ShortcutPlan | NotFixable:
    attribute = analysis.parent(site.call)
    assert isinstance(attribute, ast.Attribute)
    lib = site.library
    if site.call.args or site.call.keywords:
        return NotFixable("the constructor takes arguments")
    if site.in_loop:
        return NotFixable("in a loop a functional call is a CCL003 finding; hoist a session")
    if site.is_async or lib.configured:
        return NotFixable("no functional equivalent for this client")
    if attribute.attr not in lib.functional:
        return NotFixable(f"`{lib.module}` has no functional `{attribute.attr}()`")
    method_call = analysis.parent(attribute)
    if isinstance(method_call, ast.Call) and lib.streams(method_call):
        return NotFixable("the call streams: the functional call would leave an open stream")
    if site.call.end_lineno != site.call.lineno:
        return NotFixable("the constructor spans lines (a comment in it would be lost)")
    func = site.call.func
    if not (isinstance(func, ast.Attribute)
            and analysis.resolver.qualname(func.value, site.scope) == lib.module):
        return NotFixable(f"`{lib.module}` itself is not imported here")
    call = site.call
    assert call.end_lineno is not None and call.end_col_offset is not None
    return ShortcutPlan(call.lineno, call.col_offset, call.end_lineno, call.end_col_offset)
