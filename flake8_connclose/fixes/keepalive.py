"""CCL007 rewrite: `s.keep_alive = False` becomes `s.headers["Connection"] = "close"`.

The receiver is kept exactly as written (`self.session`, `s`), with its comments.
"""

from __future__ import annotations

from typing import Sequence

import libcst as cst

from flake8_connclose.fixes.rewrite import Rewriter
from flake8_connclose.planning.keepalive import HeaderPlan


class SendConnectionClose(Rewriter[HeaderPlan]):
    plan_type = HeaderPlan

    def targets(self) -> Sequence[tuple[int, int]]:
        return [(self.plan.line, self.source.chars(self.plan.line, self.plan.col))]

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if len(original.targets) != 1 or not self._is_target(original.targets[0].target):
            return updated
        target = updated.targets[0].target
        assert isinstance(target, cst.Attribute)
        header = cst.Subscript(
            value=cst.Attribute(value=target.value, attr=cst.Name("headers")),
            slice=[cst.SubscriptElement(cst.Index(cst.SimpleString('"Connection"')))],
        )
        self.done = True
        return updated.with_changes(
            targets=[updated.targets[0].with_changes(target=header)],
            value=cst.SimpleString('"close"'),
        )

    def _is_target(self, node: cst.BaseExpression) -> bool:
        line, col, _, _ = self.span(node)
        return (line, col) == (self.plan.line, self.source.chars(self.plan.line, self.plan.col))
