"""CCL002 rewrite for an inline stream: bind it in a `with` around its statement."""

from __future__ import annotations

from typing import Sequence, TypeVar

import libcst as cst
from libcst.metadata import PositionProvider

from flake8_connclose.fixes.inline_plan import InlinePlan

Block = TypeVar("Block", cst.Module, cst.IndentedBlock)


class BindStreamInWith(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, plan: InlinePlan,
                 span: tuple[int, int, int, int]) -> None:
        super().__init__()
        self.plan = plan
        self.span = span  # the call's span in characters
        self.call: cst.Call | None = None
        self.done = False

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        where = self.get_metadata(PositionProvider, original)
        if (where.start.line, where.start.column, where.end.line, where.end.column) != self.span:
            return updated
        self.call = updated
        return cst.Name(self.plan.name)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return self._rewrite(original, updated)

    def leave_IndentedBlock(self, original: cst.IndentedBlock,
                            updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return self._rewrite(original, updated)

    def _rewrite(self, original: Block, updated: Block) -> Block:
        index = self._index_of_statement(original.body)
        if index is None or self.call is None:
            return updated
        body = list(updated.body)
        body[index] = self._with(body[index], self.call)
        self.done = True
        return updated.with_changes(body=body)

    def _index_of_statement(self, body: Sequence[cst.BaseStatement]) -> int | None:
        for index, stmt in enumerate(body):
            start = self.get_metadata(PositionProvider, stmt).start
            if (start.line, start.column) == (self.plan.line, self.plan.col):
                return index
        return None

    def _with(self, stmt: cst.BaseStatement, call: cst.Call) -> cst.With:
        value: cst.BaseExpression = call
        if self.plan.closing:
            value = cst.Call(func=cst.parse_expression("contextlib.closing"),
                             args=[cst.Arg(call)])
        item = cst.WithItem(value, asname=cst.AsName(cst.Name(self.plan.name)))
        leading = getattr(stmt, "leading_lines", ())
        inner = stmt.with_changes(leading_lines=()) if leading else stmt
        return cst.With(items=[item], body=cst.IndentedBlock(body=[inner]),
                        asynchronous=cst.Asynchronous() if self.plan.is_async else None,
                        leading_lines=leading)
