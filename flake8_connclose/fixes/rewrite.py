"""What every libcst rewriter shares: the plan it carries out, how it finds
its statement, and whether it did all it was asked."""

from __future__ import annotations

from typing import ClassVar, Generic, Sequence, TypeVar

import libcst as cst
from libcst.metadata import PositionProvider

from flake8_connclose.sources import Source

PlanT = TypeVar("PlanT")
Block = TypeVar("Block", cst.Module, cst.IndentedBlock)


class Unexpected(Exception):
    """The code is not of the shape the plan was made for (a `with` whose
    body is on its header line, say): the fix is refused, not forced."""


def expect_block(suite: cst.BaseSuite) -> cst.IndentedBlock:
    if not isinstance(suite, cst.IndentedBlock):
        raise Unexpected("the block is on its header's line")
    return suite


class Rewriter(cst.CSTTransformer, Generic[PlanT]):
    """Carries out one plan exactly; every decision was the planner's.
    ``plan_type`` is the plan it carries out, by which the applier finds it."""

    METADATA_DEPENDENCIES = (PositionProvider,)
    plan_type: ClassVar[type]

    def __init__(self, plan: PlanT, source: Source) -> None:
        super().__init__()
        self.plan = plan
        self.source = source  # the code it rewrites, for character columns
        self.done = False

    @property
    def complete(self) -> bool:
        """Did the visit find (and rewrite) everything the plan names?"""
        return self.done

    def targets(self) -> Sequence[tuple[int, int]]:
        """Where (line, character column) each node the plan names starts."""
        raise NotImplementedError

    def span(self, node: cst.CSTNode) -> tuple[int, int, int, int]:
        """A node's start and end (line, character column)."""
        where = self.get_metadata(PositionProvider, node)
        return where.start.line, where.start.column, where.end.line, where.end.column

    def reaches(self, node: cst.CSTNode) -> bool:
        """Does the node's code hold the start of a node the plan names?"""
        where = self.get_metadata(PositionProvider, node, None)
        if where is None:
            return True
        start, end = (where.start.line, where.start.column), (where.end.line, where.end.column)
        return any(start <= target <= end for target in self.targets())

    def on_visit(self, node: cst.CSTNode) -> bool:
        # What holds none of the plan's nodes is neither visited nor rebuilt:
        # most of the code, which libcst would otherwise copy node by node. A
        # node missed this way leaves the rewrite incomplete, and refused.
        return self.reaches(node) and super().on_visit(node)


class StatementRewriter(Rewriter[PlanT]):
    """Rewrites the statement at ``anchor`` (line, column) within its block:
    ``rewrite_block`` gets the block's statements and that statement's index."""

    def anchor(self) -> tuple[int, int]:
        raise NotImplementedError

    def targets(self) -> Sequence[tuple[int, int]]:
        return [self.anchor()]

    def rewrite_block(self, body: list[cst.BaseStatement],
                      index: int) -> list[cst.BaseStatement] | None:
        """The new statements of the block, or None to leave it as it is."""
        raise NotImplementedError

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return self._rewrite(original, updated)

    def leave_IndentedBlock(self, original: cst.IndentedBlock,
                            updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return self._rewrite(original, updated)

    # The indentation of the block being rewritten (None: the module's), which
    # a block the rewrite makes inside it uses too: a tab-indented function
    # in a file indented with spaces stays tab-indented.
    indent: str | None = None

    def _rewrite(self, original: Block, updated: Block) -> Block:
        index = self._index_of_anchor(original.body)
        if index is None:
            return updated
        self.indent = updated.indent if isinstance(updated, cst.IndentedBlock) else None
        body = self.rewrite_block(list(updated.body), index)
        if body is None:
            return updated
        self.done = True
        return updated.with_changes(body=body)

    def _index_of_anchor(self, body: Sequence[cst.BaseStatement]) -> int | None:
        # A statement starts at its indentation, so byte and character columns agree.
        anchor = self.anchor()
        for index, stmt in enumerate(body):
            if self.span(stmt)[:2] == anchor:
                return index
        return None


def leading_lines(stmt: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    return getattr(stmt, "leading_lines", ())


def without_blank_lines_above(stmt: cst.BaseStatement) -> cst.BaseStatement:
    """``stmt`` without the blank lines above it (its comments stay): a new
    block does not start with a blank line."""
    lines = list(leading_lines(stmt))
    while lines and lines[0].comment is None:
        lines.pop(0)
    return stmt.with_changes(leading_lines=lines) if lines != list(leading_lines(stmt)) else stmt


def in_with(stmt: cst.BaseStatement, item: cst.WithItem, is_async: bool = False,
            indent: str | None = None, body: list[cst.BaseStatement] | None = None) -> cst.With:
    """`with <item>:` around ``stmt`` (or around ``body`` in its place); the
    comments above it stay above the `with`."""
    leading = leading_lines(stmt)
    inner = stmt.with_changes(leading_lines=()) if leading else stmt
    return cst.With(items=[item], body=cst.IndentedBlock(body=body or [inner], indent=indent),
                    asynchronous=cst.Asynchronous() if is_async else None,
                    leading_lines=leading)
