"""CCL004 rewrite (unsafe): `for ...: with ctor() as s: body` becomes
`with ctor() as s: for ...: body`, around the outermost loop."""

from __future__ import annotations

from typing import Sequence, Union

import libcst as cst

from flake8_connclose.fixes.rewrite import StatementRewriter, expect_block, leading_lines
from flake8_connclose.planning.hoist import HoistPlan


class HoistSessionOutOfLoop(StatementRewriter[HoistPlan]):
    plan_type = HoistPlan
    header: cst.With | None = None  # the dissolved `with`, for its items

    def anchor(self) -> tuple[int, int]:
        return self.plan.loop_line, self.plan.loop_col

    def targets(self) -> Sequence[tuple[int, int]]:
        return [self.anchor(), (self.plan.with_line, self.plan.with_col)]

    def leave_With(self, original: cst.With, updated: cst.With
                   ) -> Union[cst.BaseStatement, cst.FlattenSentinel[cst.BaseStatement]]:
        if self.span(original)[:2] != (self.plan.with_line, self.plan.with_col):
            return updated
        self.header = updated
        inner = list(expect_block(updated.body).body)
        # Comments above the `with` stay above what was its body.
        inner[0] = inner[0].with_changes(
            leading_lines=[*updated.leading_lines, *leading_lines(inner[0])])
        return cst.FlattenSentinel(inner)

    def rewrite_block(self, body: list[cst.BaseStatement],
                      index: int) -> list[cst.BaseStatement] | None:
        if self.header is None:
            return None
        loop = body[index]
        suite = expect_block(self.header.body)
        body[index] = self.header.with_changes(
            body=cst.IndentedBlock(body=[loop.with_changes(leading_lines=())],
                                   header=suite.header),
            leading_lines=leading_lines(loop),
        )
        return body
