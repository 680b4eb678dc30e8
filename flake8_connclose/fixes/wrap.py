"""CCL001/CCL002 rewrite: `x = ctor(...)` and its uses become `with ctor(...) as x:`.

Carries out a ``WrapPlan`` exactly; every decision was made by the planner.
"""

from __future__ import annotations

from typing import Sequence, TypeVar

import libcst as cst
from libcst.metadata import PositionProvider

from flake8_connclose.fixes.plan import WrapPlan

Block = TypeVar("Block", cst.Module, cst.IndentedBlock)


class WrapInWith(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, plan: WrapPlan) -> None:
        super().__init__()
        self.plan = plan
        self.done = False

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return self._rewrite(original, updated)

    def leave_IndentedBlock(self, original: cst.IndentedBlock,
                            updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return self._rewrite(original, updated)

    def _rewrite(self, original: Block, updated: Block) -> Block:
        index = self._index_of_assignment(original.body)
        if index is None:
            return updated
        body = list(updated.body)
        end = index + 1 + self.plan.count
        assignment = body[index]
        assert isinstance(assignment, cst.SimpleStatementLine)
        inner = self._inner(body[index + 1:end])
        body[index:end] = [self._with(assignment, inner)]
        self.done = True
        return updated.with_changes(body=body)

    def _index_of_assignment(self, body: Sequence[cst.BaseStatement]) -> int | None:
        for index, stmt in enumerate(body):
            start = self.get_metadata(PositionProvider, stmt).start
            if (start.line, start.column) == (self.plan.line, self.plan.col):
                return index
        return None

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
