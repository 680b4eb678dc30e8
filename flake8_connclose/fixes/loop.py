"""CCL003 rewrite (unsafe): one shared session around a loop, every functional
call in it routed through the session with its arguments unchanged."""

from __future__ import annotations

from typing import Sequence, TypeVar

import libcst as cst
from libcst.metadata import PositionProvider

from flake8_connclose.fixes.loop_plan import LoopPlan

Block = TypeVar("Block", cst.Module, cst.IndentedBlock)
Span = tuple[int, int, int, int]  # start line, start col, end line, end col (characters)


class ShareSessionAroundLoop(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, plan: LoopPlan,
                 calls: dict[Span, str]) -> None:
        super().__init__()
        self.plan = plan
        self.calls = calls  # span of each call to route -> the session method
        self.routed = 0
        self.done = False

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        where = self.get_metadata(PositionProvider, original)
        span = (where.start.line, where.start.column, where.end.line, where.end.column)
        member = self.calls.get(span)
        if member is None:
            return updated
        self.routed += 1
        func = cst.Attribute(value=cst.Name(self.plan.name), attr=cst.Name(member))
        return updated.with_changes(func=func)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return self._rewrite(original, updated)

    def leave_IndentedBlock(self, original: cst.IndentedBlock,
                            updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return self._rewrite(original, updated)

    def _rewrite(self, original: Block, updated: Block) -> Block:
        index = self._index_of_loop(original.body)
        if index is None:
            return updated
        body = list(updated.body)
        body[index] = self._with(body[index])
        self.done = True
        return updated.with_changes(body=body)

    def _index_of_loop(self, body: Sequence[cst.BaseStatement]) -> int | None:
        for index, stmt in enumerate(body):
            start = self.get_metadata(PositionProvider, stmt).start
            if (start.line, start.column) == (self.plan.line, self.plan.col):
                return index
        return None

    def _with(self, loop: cst.BaseStatement) -> cst.With:
        ctor = cst.Call(func=cst.parse_expression(self.plan.ctor))
        item = cst.WithItem(ctor, asname=cst.AsName(cst.Name(self.plan.name)))
        # Comments above the loop stay above the `with`.
        leading = getattr(loop, "leading_lines", ())
        inner = loop.with_changes(leading_lines=()) if leading else loop
        return cst.With(items=[item], body=cst.IndentedBlock(body=[inner]),
                        leading_lines=leading)
