"""CCL003 rewrite (unsafe): one shared session around a loop, every functional
call in it routed through the session with its arguments unchanged."""

from __future__ import annotations

from typing import Sequence

import libcst as cst

from flake8_connclose.fixes.rewrite import StatementRewriter, in_with
from flake8_connclose.planning.loop import LoopPlan
from flake8_connclose.sources import Source


class ShareSessionAroundLoop(StatementRewriter[LoopPlan]):
    plan_type = LoopPlan

    def __init__(self, plan: LoopPlan, source: Source) -> None:
        super().__init__(plan, source)
        # The span of each call to route, in characters -> the session method.
        self.calls = {
            (c.line, source.chars(c.line, c.col), c.end_line, source.chars(c.end_line, c.end_col)):
            c.member for c in plan.calls
        }
        self.routed = 0

    @property
    def complete(self) -> bool:
        return self.done and self.routed == len(self.calls)

    def anchor(self) -> tuple[int, int]:
        return self.plan.line, self.plan.col

    def targets(self) -> Sequence[tuple[int, int]]:
        return [self.anchor(), *(span[:2] for span in self.calls)]

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        member = self.calls.get(self.span(original))
        if member is None:
            return updated
        self.routed += 1
        func = cst.Attribute(value=cst.Name(self.plan.name), attr=cst.Name(member))
        return updated.with_changes(func=func)

    def rewrite_block(self, body: list[cst.BaseStatement],
                      index: int) -> list[cst.BaseStatement]:
        ctor = cst.Call(func=cst.parse_expression(self.plan.ctor))
        item = cst.WithItem(ctor, asname=cst.AsName(cst.Name(self.plan.name)))
        body[index] = in_with(body[index], item, indent=self.indent)
        return body
