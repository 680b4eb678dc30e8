"""Deciding a fix, in pure ``ast``: what to rewrite, or why not.

The rules call these planners to mark a finding ``fixable`` honestly, and the
libcst rewriters carry out exactly the plan they return, so "fixable" and
"fixed" cannot drift apart. Nothing here imports libcst.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Sequence, Union

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.findings import Finding
from flake8_connclose.libraries import LIBRARIES
from flake8_connclose.names import NESTED_SCOPES, own_nodes
from flake8_connclose.resources import Disposition, disposition, target_name
from flake8_connclose.sources import lines_of

if TYPE_CHECKING:
    from flake8_connclose.fixes.hoist_plan import HoistPlan
    from flake8_connclose.fixes.inline_plan import InlinePlan
    from flake8_connclose.fixes.loop_plan import LoopPlan

_CLOSES = frozenset({"close", "aclose"})
_DUNDERS = frozenset({"__enter__", "__exit__", "__aenter__", "__aexit__"})
_BLOCK_FIELDS = ("body", "orelse", "finalbody")


@dataclass(frozen=True)
class NotFixable:
    """Why a finding is left alone; the file stays byte for byte as it was."""

    reason: str


@dataclass(frozen=True)
class WrapPlan:
    """`name = <call>` at (line, col), then ``count`` statements that use it,
    becomes `[async ]with <call> as name:` around those statements."""

    line: int
    col: int
    name: str
    count: int
    drop_close: bool  # the last of those statements is a happy-path close
    is_async: bool
    closing: bool  # no context manager of its own: `contextlib.closing(...)`


@dataclass(frozen=True)
class ShortcutPlan:
    """`mod.Session().verb(...)`: the constructor call at (line, byte col) goes,
    and `mod.verb(...)` remains."""

    line: int
    col: int
    end_line: int
    end_col: int


Plan = Union[WrapPlan, ShortcutPlan, "LoopPlan", "HoistPlan", "InlinePlan", NotFixable]


def plan_wrap(analysis: Analysis, site: CallSite) -> WrapPlan | NotFixable:
    """CCL001/CCL002: wrap a bound session or stream and its uses in `with`."""
    how, stmt = disposition(analysis, site.call)
    if how is not Disposition.NAME:
        return NotFixable("used inline, never bound to a name")
    assert isinstance(stmt, (ast.Assign, ast.AnnAssign))
    if not isinstance(stmt, ast.Assign) or stmt.value is not site.call:
        return NotFixable("the assignment is annotated or awaited")
    if not site.scope.is_function:
        return NotFixable("not inside a function")
    name = target_name(stmt)
    cm = manager(site)
    if isinstance(cm, NotFixable):
        return cm
    span = _span(analysis, site, stmt, name)
    if isinstance(span, NotFixable):
        return span
    count, drop_close = span
    is_async, closing = cm
    return WrapPlan(stmt.lineno, stmt.col_offset, name, count, drop_close, is_async, closing)


def plan_shortcut(analysis: Analysis, site: CallSite) -> ShortcutPlan | NotFixable:
    """CCL005: `requests.Session().get(url)` -> `requests.get(url)`."""
    attribute = analysis.parent(site.call)
    assert isinstance(attribute, ast.Attribute)
    lib = site.library
    if site.call.args or site.call.keywords:
        return NotFixable("the constructor takes arguments")
    if site.in_loop:
        return NotFixable("in a loop a functional call is a CCL003 finding; hoist a session")
    if site.is_async or lib not in LIBRARIES:
        return NotFixable("no functional equivalent for this client")
    if attribute.attr not in lib.functional:
        return NotFixable(f"`{lib.module}` has no functional `{attribute.attr}()`")
    func = site.call.func
    if not (isinstance(func, ast.Attribute)
            and analysis.resolver.qualname(func.value, site.scope) == lib.module):
        return NotFixable(f"`{lib.module}` itself is not imported here")
    call = site.call
    assert call.end_lineno is not None and call.end_col_offset is not None
    return ShortcutPlan(call.lineno, call.col_offset, call.end_lineno, call.end_col_offset)


def manager(site: CallSite) -> tuple[bool, bool] | NotFixable:
    """(async?, needs contextlib.closing?) for the object the call returns."""
    if site.library not in LIBRARIES:
        # A user-configured factory or module: we do not know what it returns.
        return NotFixable("a configured factory or module may not return a context manager")
    in_async_def = site.scope.is_async
    if site.session:
        if site.is_async and not in_async_def:
            return NotFixable("an async session outside `async def`")
        return site.is_async, False
    if site.context_only and not site.functional and in_async_def:
        return NotFixable("cannot tell whether the client is async")
    if site.context_only:
        is_async = site.library.module == "aiohttp"
        if is_async and not in_async_def:
            return NotFixable("an async context manager outside `async def`")
        return is_async, False
    return False, not site.library.response_is_context_manager


def _span(analysis: Analysis, site: CallSite, stmt: ast.Assign,
          name: str) -> tuple[int, bool] | NotFixable:
    """How many statements after ``stmt`` the `with` must hold, and whether
    the last is a trailing close to drop; or why no `with` can hold them."""
    block = block_of(analysis, stmt)
    if block is None or shares_lines(block):
        return NotFixable("the assignment shares a line with another statement")
    stores, deletes = bindings(site.scope.node, name)
    if deletes:
        return NotFixable(f"`{name}` is deleted with `del`")
    if len(stores) > 1 or _is_parameter(site.scope.node, name):
        return NotFixable(f"`{name}` is rebound")
    readers = [(use, _reader(analysis, use, site.scope.node))
               for use in loads(site.scope.node, name)]
    if any(who == "nested" for _, who in readers):
        return NotFixable(f"`{name}` is read by a nested function")
    uses = [use for use, who in readers if who == "self"]
    if any(_entered_by_hand(analysis, use) for use in uses):
        return NotFixable(f"`{name}` is entered or exited by hand")
    index = next(i for i, s in enumerate(block) if s is stmt)
    last = index
    for k in range(index + 1, len(block)):
        if _mentions(block[k], name):
            last = k
    inside = {id(n) for s in block[index:last + 1] for n in ast.walk(s)}
    outside = [use for use in uses if id(use) not in inside]
    if outside:
        return NotFixable(_outside_reason(analysis, stmt, outside[0]))
    return last - index, last > index and _is_close(block[last], name)


def block_of(analysis: Analysis, stmt: ast.stmt) -> list[ast.stmt] | None:
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
    if isinstance(parent, ast.match_case):
        return max(n.end_lineno or 0 for n in (parent.pattern, parent.guard) if n)
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


def bindings(scope: ast.AST, name: str) -> tuple[list[ast.AST], list[ast.AST]]:
    """Every statement-level binding of ``name`` in the scope itself, and every `del`."""
    stores: list[ast.AST] = []
    deletes: list[ast.AST] = []
    for node in _own(scope):
        if isinstance(node, ast.Name) and node.id == name:
            if isinstance(node.ctx, ast.Store):
                stores.append(node)
            elif isinstance(node.ctx, ast.Del):
                deletes.append(node)
        elif _binds_otherwise(node, name):
            stores.append(node)
    return stores, deletes


def _binds_otherwise(node: ast.AST, name: str) -> bool:
    """Bindings that are not a Name in Store context."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name == name
    if isinstance(node, ast.ExceptHandler):
        return node.name == name
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return any((a.asname or a.name.split(".")[0]) == name for a in node.names)
    return isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name == name


def _is_parameter(scope: ast.AST, name: str) -> bool:
    args = getattr(scope, "args", None)
    if not isinstance(args, ast.arguments):
        return False
    every = args.posonlyargs + args.args + args.kwonlyargs
    every += [a for a in (args.vararg, args.kwarg) if a is not None]
    return any(a.arg == name for a in every)


def _own(scope: ast.AST) -> Iterator[ast.AST]:
    body = getattr(scope, "body", [])
    return own_nodes(body if isinstance(body, list) else [body])


def loads(scope: ast.AST, name: str) -> Iterator[ast.Name]:
    """Every read of ``name`` under the scope, nested scopes included."""
    body = getattr(scope, "body", [])
    for stmt in body if isinstance(body, list) else [body]:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
                yield node


def _reader(analysis: Analysis, use: ast.Name, scope: ast.AST) -> str:
    """Who reads: "self" (the scope, or a comprehension running in place),
    "nested" (a def/lambda/class that may run later), or "other" (a nested
    scope with its own binding of the name: not our object at all)."""
    for parent in analysis.ancestors(use):
        if parent is scope:
            return "self"
        if isinstance(parent, NESTED_SCOPES):
            stores, _ = bindings(parent, use.id)
            return "other" if stores or _is_parameter(parent, use.id) else "nested"
    return "self"


def _entered_by_hand(analysis: Analysis, use: ast.Name) -> bool:
    parent = analysis.parent(use)
    return isinstance(parent, ast.Attribute) and parent.attr in _DUNDERS


def _mentions(stmt: ast.stmt, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(stmt))


def _outside_reason(analysis: Analysis, stmt: ast.stmt, use: ast.Name) -> str:
    if use.lineno < stmt.lineno:
        return "used before it is created (in a loop)"
    parent = analysis.parent(stmt)
    if isinstance(parent, (ast.If, ast.Try, ast.Match, ast.match_case)):
        return "created conditionally and used after that block"
    if isinstance(parent, (ast.For, ast.AsyncFor, ast.While)):
        return "created in a loop and used after it"
    return "used after the block that creates it"


def _is_close(stmt: ast.stmt, name: str) -> bool:
    """`name.close()` / `await name.close()` / `name.aclose()` as a statement."""
    if not isinstance(stmt, ast.Expr):
        return False
    call = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
    return (
        isinstance(call, ast.Call) and not call.args and not call.keywords
        and isinstance(call.func, ast.Attribute) and call.func.attr in _CLOSES
        and isinstance(call.func.value, ast.Name) and call.func.value.id == name
    )


# Their fixes share one session across a loop's iterations (cookies, state):
# applied only when asked for, and the rules never mark them fixable.
UNSAFE_CODES = frozenset({"CCL003", "CCL004"})


def plan_for(code: str, analysis: Analysis, site: CallSite | None, unsafe: bool) -> Plan:
    """The fix for a finding of ``code`` at ``site``; unsafe fixes only if asked."""
    if code in UNSAFE_CODES and not unsafe:
        return NotFixable("the fix is unsafe; apply it with --unsafe-fixes")
    if code not in ("CCL001", "CCL002", "CCL003", "CCL004", "CCL005"):
        return NotFixable(f"{code} has no automatic fix")
    if site is None:
        return NotFixable("the reported call is no longer there")
    if code == "CCL005":
        return plan_shortcut(analysis, site)
    if code == "CCL003":
        from flake8_connclose.fixes.loop_plan import plan_loop  # it builds on this module

        return plan_loop(analysis, site)
    if code == "CCL004":
        from flake8_connclose.fixes.hoist_plan import plan_hoist  # it builds on this module

        return plan_hoist(analysis, site)
    if disposition(analysis, site.call)[0] is not Disposition.NAME:
        from flake8_connclose.fixes.inline_plan import plan_inline  # it builds on this module

        return plan_inline(analysis, site)
    return plan_wrap(analysis, site)


def site_of(analysis: Analysis, source: str, finding: Finding) -> CallSite | None:
    """The call a finding points at."""
    lines = lines_of(source)
    for site in analysis.calls:
        call = site.call
        if call.lineno == finding.line and chars(lines, call.lineno,
                                                 call.col_offset) == finding.col:
            return site
    return None


def chars(lines: Sequence[str], line: int, byte_col: int) -> int:
    """``ast`` counts UTF-8 bytes; findings and libcst count characters."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))
