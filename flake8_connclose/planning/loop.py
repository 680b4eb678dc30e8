"""CCL003 (unsafe): one shared session around a loop.

Unsafe because a shared session keeps cookies and connection state from one
iteration to the next. Only calls of the loop's own scope are routed, so no
call is ever moved into a nested function (an executor or thread callable).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.libraries import Library
from flake8_connclose.names import free_name, uses_name
from flake8_connclose.planning.common import (
    NotFixable,
    PlanDefaults,
    block_of,
    names_refusal,
    SHARES_LINES,
    shares_lines,
    statement_region,
)

_LOOPS = (ast.For, ast.AsyncFor, ast.While)


@dataclass(frozen=True)
class RoutedCall:
    """A functional call whose callee becomes `<session>.<member>`; byte columns."""

    line: int
    col: int
    end_line: int
    end_col: int
    member: str


@dataclass(frozen=True)
class LoopPlan(PlanDefaults):
    """`with <ctor>() as <name>:` around the statement at (line, col)."""

    line: int
    col: int
    name: str
    ctor: str  # as it will be written: "requests.Session"
    import_module: str  # "" when the module is already bound to its name
    calls: tuple[RoutedCall, ...]
    region: tuple[int, int]

    @property
    def imports(self) -> frozenset[str]:
        return frozenset({self.import_module} - {""})

    @property
    def also_fixes(self) -> tuple[tuple[int, int], ...]:
        return tuple((call.line, call.col) for call in self.calls)


def plan_loop(analysis: Analysis, site: CallSite) -> LoopPlan | NotFixable:
    if isinstance(site.scope.node, ast.ClassDef):
        # A name bound in a class body becomes a class attribute.
        return NotFixable("the loop is in a class body")
    lib = site.library
    if not lib.shares_a_sync_session:
        return NotFixable(f"`{lib.module}` has no synchronous session to share")
    stmt = _statement_to_wrap(analysis, site)
    if stmt is None:
        return NotFixable("the calls are in a lambda: there is no statement to wrap")
    block = block_of(analysis, stmt)
    if block is None or shares_lines(block):
        return NotFixable(f"the loop {SHARES_LINES}")
    sites = _sites_in(analysis, site, stmt)
    refusal = _refusal(lib, sites) or _outlives(analysis, stmt, sites)
    if refusal:
        return NotFixable(refusal)
    spelling = _module_spelling(analysis, site, sites)
    if spelling is None:
        return NotFixable(f"the name `{lib.module}` is taken by something else")
    module, needs_import = spelling
    name = free_name(site.scope.node, lib.session_variable, f"http_{lib.session_variable}")
    calls = tuple(_routed(s) for s in sites)
    return LoopPlan(stmt.lineno, stmt.col_offset, name, f"{module}.{lib.loop_session}",
                    lib.module if needs_import else "", calls, statement_region(stmt))


def _statement_to_wrap(analysis: Analysis, site: CallSite) -> ast.stmt | None:
    """The outermost loop statement of the call's scope holding it (a session
    per outer iteration would be CCL004), else the statement holding the
    comprehension the call is in."""
    outermost: ast.stmt | None = None
    nearest: ast.stmt | None = None
    for parent in analysis.ancestors(site.call):
        if parent is site.scope.node:
            break
        if isinstance(parent, ast.stmt) and nearest is None:
            nearest = parent
        if isinstance(parent, _LOOPS):
            outermost = parent
    return outermost or nearest


def _sites_in(analysis: Analysis, site: CallSite, stmt: ast.stmt) -> list[CallSite]:
    """The same library's functional calls in the loop, of the same scope."""
    inside = {id(node) for node in ast.walk(stmt)}
    return [s for s in analysis.calls
            if s.functional and s.in_loop and s.scope is site.scope
            and s.library is site.library and id(s.call) in inside]


def _refusal(lib: Library, sites: list[CallSite]) -> str:
    for s in sites:
        call = s.call
        if any(isinstance(arg, ast.Starred) for arg in call.args) or any(
                kw.arg is None for kw in call.keywords):
            return "a call passes `*args` or `**kwargs`"
        if len(call.args) > lib.method_positional.get(s.member, 0):
            return (f"`{s.member}()` gets more positional arguments than the "
                    f"{lib.session_variable}'s")
        passed = sorted(lib.client_only_arguments & {kw.arg for kw in call.keywords if kw.arg})
        if passed:
            return f"a call passes the client-level argument `{passed[0]}`"
    return ""


def _outlives(analysis: Analysis, stmt: ast.stmt, sites: list[CallSite]) -> str:
    """Would a call run after the shared session is closed? A generator
    expression runs its calls when it is iterated, which may be after the
    `with`; a loop that yields hands control out with the session open."""
    for s in sites:
        if any(isinstance(a, ast.GeneratorExp) for a in _ancestors_within(analysis, s.call, stmt)):
            return "a call runs inside a generator expression, which may outlive the session"
    if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(stmt)):
        return "the loop yields: the session would stay open across its pauses"
    return ""


def _ancestors_within(analysis: Analysis, node: ast.AST, stmt: ast.stmt) -> list[ast.AST]:
    found = []
    for parent in analysis.ancestors(node):
        if parent is stmt:
            break
        found.append(parent)
    return found


def _module_spelling(analysis: Analysis, site: CallSite,
                     sites: list[CallSite]) -> tuple[str, bool] | None:
    """How to write the module: as a call spells it, else its plain name,
    importing it when that name is free."""
    module = site.library.module
    resolver = analysis.resolver
    for s in sites:
        func = s.call.func
        if isinstance(func, ast.Attribute) and resolver.qualname(func.value, s.scope) == module:
            spelled = ast.unparse(func.value)
            if not names_refusal(analysis, spelled.split(".")[0]):
                return spelled, False
    if resolver.qualname(ast.Name(module), site.scope) == module:
        return (module, False) if not names_refusal(analysis, module) else None
    if site.scope.lookup(module) is None and not uses_name(analysis.tree, module):
        return module, True
    return None


def _routed(site: CallSite) -> RoutedCall:
    call = site.call
    assert call.end_lineno is not None and call.end_col_offset is not None
    return RoutedCall(call.lineno, call.col_offset, call.end_lineno, call.end_col_offset,
                      site.member)
