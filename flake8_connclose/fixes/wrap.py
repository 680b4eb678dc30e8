"""CCL001/CCL002 rewrite: `x = ctor(...)` and its uses become `with ctor(...) as x:`."""

from __future__ import annotations

from typing import Sequence

import libcst as cst

from flake8_connclose.fixes.rewrite import (
    StatementRewriter,
    Unexpected,
    leading_lines,
    without_blank_lines_above,
)
from flake8_connclose.planning.wrap import WrapPlan


class WrapInWith(StatementRewriter[WrapPlan]):
    plan_type = WrapPlan

    def anchor(self) -> tuple[int, int]:
        return self.plan.line, self.plan.col

    def rewrite_block(self, body: list[cst.BaseStatement],
                      index: int) -> list[cst.BaseStatement]:
        end = index + 1 + self.plan.count
        assignment = body[index]
        if not isinstance(assignment, cst.SimpleStatementLine):
            raise Unexpected("the assignment is not a statement line of its own")
        inner = self._inner(body[index + 1:end])
        if self.plan.finally_close:
            body[index + 1:end] = [self._try(inner, leading_lines(body[index + 1]))]
        else:
            body[index:end] = [self._with(assignment, inner)]
        return body

    def _try(self, inner: list[cst.BaseStatement],
             leading: Sequence[cst.EmptyLine]) -> cst.Try:
        """`try:` the uses, `finally: await name.aclose()`; what was above
        the first use (blank lines, comments) goes above the `try`."""
        close = cst.parse_statement(f"await {self.plan.name}.{self.plan.finally_close}()\n")
        inner[0] = inner[0].with_changes(leading_lines=())
        return cst.Try(body=cst.IndentedBlock(body=inner, indent=self.indent),
                       finalbody=cst.Finally(body=cst.IndentedBlock(body=[close],
                                                                    indent=self.indent)),
                       leading_lines=leading)

    def _inner(self, moved: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """The with body; a trailing close goes, unless a comment rides on it,
        and the body does not start with a blank line."""
        inner = list(moved)
        if self.plan.drop_close and not _has_comment(inner[-1]):
            inner.pop()
        if not inner:
            return [cst.SimpleStatementLine([cst.Pass()])]
        inner[0] = without_blank_lines_above(inner[0])
        return inner

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
            body=cst.IndentedBlock(body=inner, header=assignment.trailing_whitespace,
                                   indent=self.indent),
            asynchronous=cst.Asynchronous() if self.plan.is_async else None,
            leading_lines=assignment.leading_lines,
        )


def _has_comment(stmt: cst.BaseStatement) -> bool:
    """A comment on or above the statement, which dropping it would lose."""
    code = cst.Module(body=[]).code_for_node(stmt)
    return "#" in code
