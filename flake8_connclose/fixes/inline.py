"""CCL002 rewrite for an inline stream: bind it in a `with` around its statement."""

from __future__ import annotations

from typing import Sequence

import libcst as cst

from flake8_connclose.fixes.rewrite import StatementRewriter, Unexpected, in_with
from flake8_connclose.planning.inline import InlinePlan


class BindStreamInWith(StatementRewriter[InlinePlan]):
    plan_type = InlinePlan
    call: cst.Call | None = None  # the request, once the visit has taken it out

    def anchor(self) -> tuple[int, int]:
        return self.plan.line, self.plan.col

    def targets(self) -> Sequence[tuple[int, int]]:
        line, col = self.plan.call[:2]
        return [self.anchor(), (line, self.source.chars(line, col))]

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        line, col, end_line, end_col = self.plan.call
        span = (line, self.source.chars(line, col), end_line, self.source.chars(end_line, end_col))
        if self.span(original) != span:
            return updated
        self.call = updated
        return cst.Name(self.plan.name or "_")  # a bare request's statement is replaced

    def rewrite_block(self, body: list[cst.BaseStatement],
                      index: int) -> list[cst.BaseStatement] | None:
        if self.call is None:
            return None
        value: cst.BaseExpression = self.call
        if self.plan.closing:
            value = cst.Call(func=cst.parse_expression("contextlib.closing"),
                             args=[cst.Arg(self.call)])
        if not self.plan.name:  # the statement was the request alone
            statement = body[index]
            if not isinstance(statement, cst.SimpleStatementLine):
                raise Unexpected("the request is not a statement line of its own")
            with_ = in_with(statement, cst.WithItem(value), self.plan.is_async, self.indent,
                            [cst.SimpleStatementLine([cst.Pass()])])
            body[index] = with_.with_changes(body=with_.body.with_changes(
                header=statement.trailing_whitespace))
            return body
        item = cst.WithItem(value, asname=cst.AsName(cst.Name(self.plan.name)))
        body[index] = in_with(body[index], item, self.plan.is_async, self.indent)
        return body
