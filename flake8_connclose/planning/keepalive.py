"""CCL007 (unsafe): `s.keep_alive = False` becomes `s.headers["Connection"] = "close"`.

Unsafe because it changes what goes over the wire: from then on every
request of the session asks the server to close the connection, which is
what the author of `keep_alive = False` meant and never got.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from flake8_connclose.analysis import Analysis
from flake8_connclose.planning.common import NotFixable, PlanDefaults, statement_region


@dataclass(frozen=True)
class HeaderPlan(PlanDefaults):
    """The assignment to the attribute at (line, byte col) becomes the header's."""

    line: int
    col: int
    region: tuple[int, int]


def plan_header(analysis: Analysis, target: ast.expr) -> HeaderPlan | NotFixable:
    assign = analysis.parent(target)
    if not (isinstance(assign, ast.Assign) and len(assign.targets) == 1
            and assign.targets[0] is target):
        return NotFixable("the attribute is one of several targets")
    if not is_false(assign.value):
        return NotFixable("the value is not the literal `False`")
    return HeaderPlan(target.lineno, target.col_offset, statement_region(assign))


def is_false(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and value.value is False
