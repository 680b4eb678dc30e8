"""CCL004 rewrite (unsafe): `for ...: with ctor() as s: body` becomes
`with ctor() as s: for ...: body`, around the outermost loop."""

from __future__ import annotations

from typing import Sequence, TypeVar, Union

import libcst as cst
from libcst.metadata import PositionProvider

from flake8_connclose.fixes.hoist_plan import HoistPlan

Block = TypeVar("Block", cst.Module, cst.IndentedBlock)


class HoistSessionOutOfLoop(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, plan: HoistPlan) -> None:
        super().__init__()
        self.plan = plan
        self.header: cst.With | None = None  # the dissolved `with`, for its items
        self.done = False

    def leave_With(self, original: cst.With, updated: cst.With
                   ) -> Union[cst.BaseStatement, cst.FlattenSentinel[cst.BaseStatement]]:
        start = self.get_metadata(PositionProvider, original).start
        if (start.line, start.column) != (self.plan.with_line, self.plan.with_col):
            return updated
        assert isinstance(updated.body, cst.IndentedBlock)
        self.header = updated
        inner = list(updated.body.body)
        # Comments above the `with` stay above what was its body.
        first = inner[0]
        inner[0] = first.with_changes(
            leading_lines=[*updated.leading_lines, *getattr(first, "leading_lines", ())])
        return cst.FlattenSentinel(inner)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return self._rewrite(original, updated)

    def leave_IndentedBlock(self, original: cst.IndentedBlock,
                            updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return self._rewrite(original, updated)

    def _rewrite(self, original: Block, updated: Block) -> Block:
        index = self._index_of_loop(original.body)
        if index is None or self.header is None:
            return updated
        body = list(updated.body)
        loop = body[index]
        suite = self.header.body
        assert isinstance(suite, cst.IndentedBlock)
        leading = getattr(loop, "leading_lines", ())
        body[index] = self.header.with_changes(
            body=cst.IndentedBlock(body=[loop.with_changes(leading_lines=())],
                                   header=suite.header),
            leading_lines=leading,
        )
        self.done = True
        return updated.with_changes(body=body)

    def _index_of_loop(self, body: Sequence[cst.BaseStatement]) -> int | None:
        for index, stmt in enumerate(body):
            start = self.get_metadata(PositionProvider, stmt).start
            if (start.line, start.column) == (self.plan.loop_line, self.plan.loop_col):
                return index
        return None
