"""CCL001/CCL002 rewrite: `x = ctor(...)` and its uses become `with ctor(...) as x:`."""

from __future__ import annotations

from typing import Sequence

import libcst as cst

from flake8_connclose.fixes.rewrite import StatementRewriter
from flake8_connclose.planning.wrap import WrapPlan


class WrapInWith(StatementRewriter[WrapPlan]):
    plan_type = WrapPlan

    def anchor(self) -> tuple[int, int]:
        return self.plan.line, self.plan.col

    def rewrite_block(self, body: list[cst.BaseStatement],
                      index: int) -> list[cst.BaseStatement]:
        end = index + 1 + self.plan.count
        assignment = body[index]
        assert isinstance(assignment, cst.SimpleStatementLine)
        body[index:end] = [self._with(assignment, self._inner(body[index + 1:end]))]
        return body

    def _inner(self, moved: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """The with body; a trailing close goes, unless a comment rides on it."""
        inner = list(moved)
        if self.plan.drop_close and not _has_comment(inner[-1]):
            inner.pop()
        return inner or [cst.SimpleStatementLine([cst.Pass()])]

    def _with(self, assignment: cst.SimpleStatementLine,
              inner: list[cst.BaseStatement]) -> cst.With:
        assign = assignment.body[0]
        assert isinstance(assign, cst.Assign)
        value = assign.value
        if self.plan.unawait and isinstance(value, cst.Await):
            value = value.expression  # `async with connect(...)` enters what `await` opened
        if self.plan.closing:
            # The import is added once, after every fix: adding it now would
            # move the lines of the findings still to be fixed.
            closing = cst.parse_expression("contextlib.closing")
            value = cst.Call(func=closing, args=[cst.Arg(value)])
        item = cst.WithItem(value, asname=cst.AsName(cst.Name(self.plan.name)))
        return cst.With(
            items=[item],
            body=cst.IndentedBlock(body=inner, header=assignment.trailing_whitespace),
            asynchronous=cst.Asynchronous() if self.plan.is_async else None,
            leading_lines=assignment.leading_lines,
        )


def _has_comment(stmt: cst.BaseStatement) -> bool:
    """A comment on or above the statement, which dropping it would lose."""
    code = cst.Module(body=[]).code_for_node(stmt)
    return "#" in code
