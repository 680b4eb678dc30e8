"""What every planner shares: the plan protocol, refusals, blocks and managers."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Protocol

from flake8_connclose.analysis import Analysis, CallSite

_BLOCK_FIELDS = ("body", "orelse", "finalbody")


@dataclass(frozen=True)
class NotFixable:
    """Why a finding is left alone; the file stays byte for byte as it was."""

    reason: str


class Plan(Protocol):
    """What the one applier needs of any plan; a planner's own plan type adds
    what its rewriter needs (found by plan type in ``fixes.rewriters``)."""

    @property
    def region(self) -> tuple[int, int]:
        """The first and last line of the statements the rewrite touches."""

    @property
    def imports(self) -> frozenset[str]:
        """Modules the rewritten code needs imported (`contextlib`)."""

    @property
    def also_fixes(self) -> tuple[tuple[int, int], ...]:
        """Other findings of the same code the rewrite fixes: (line, byte col)."""


class PlanDefaults:
    """The defaults of the ``Plan`` protocol: no import, no other finding."""

    @property
    def imports(self) -> frozenset[str]:
        return frozenset()

    @property
    def also_fixes(self) -> tuple[tuple[int, int], ...]:
        return ()


def statement_region(first: ast.stmt, last: ast.stmt | None = None) -> tuple[int, int]:
    """The lines from ``first`` to the end of ``last`` (default: ``first``)."""
    end = last or first
    return first.lineno, end.end_lineno or end.lineno


def block_of(analysis: Analysis, stmt: ast.stmt) -> list[ast.stmt] | None:
    """The statement list holding ``stmt``, when it is an indented block of its own."""
    parent = analysis.parent(stmt)
    for field in _BLOCK_FIELDS:
        block = getattr(parent, field, None)
        if isinstance(block, list) and any(s is stmt for s in block):
            # `if c: s = f()` on one line has no indented block to wrap in.
            return block if block[0].lineno > _header_line(parent, field) else None
    return None


def _header_line(parent: ast.AST | None, field: str) -> int:
    """The last line the block's header can be on: `if ...:`, `case ...:`,
    or for `else:`/`finally:` the line after what precedes it (ast keeps no
    position for those keywords)."""
    if type(parent).__name__ == "match_case":  # Python 3.10 and later
        header: list[ast.AST | None] = [getattr(parent, "pattern"), getattr(parent, "guard")]
        return max(getattr(n, "end_lineno", 0) or 0 for n in header if n)
    if field == "body":
        return getattr(parent, "lineno", 0)
    before: list[ast.AST] = list(getattr(parent, "body", []))
    before += getattr(parent, "handlers", [])
    if field == "finalbody":
        before += getattr(parent, "orelse", [])
    return max((n.end_lineno or 0 for n in before if isinstance(n, (ast.stmt, ast.excepthandler))),
               default=0) + 1


def shares_lines(block: list[ast.stmt]) -> bool:
    return any(
        (a.end_lineno or a.lineno) >= b.lineno for a, b in zip(block, block[1:])
    )


def manager(site: CallSite) -> tuple[bool, bool] | NotFixable:
    """(async?, needs contextlib.closing?) for the object the call returns."""
    lib = site.library
    if lib.configured:
        # A user-configured factory or module: we do not know what it returns.
        return NotFixable("a configured factory or module may not return a context manager")
    in_async_def = site.scope.is_async
    if site.session:
        if site.is_async and not in_async_def:
            return NotFixable("an async session outside `async def`")
        return site.is_async, not lib.session_is_context_manager
    if site.context_only and not site.functional and in_async_def:
        return NotFixable("cannot tell whether the client is async")
    if site.context_only:
        if lib.context_only_is_async and not in_async_def:
            return NotFixable("an async context manager outside `async def`")
        return lib.context_only_is_async, False
    return False, not lib.response_is_context_manager
