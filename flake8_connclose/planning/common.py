"""What every planner shares: the plan protocol, refusals, blocks and managers."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Protocol

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.libraries import Library
from flake8_connclose.names import Scope, child_nodes
from flake8_connclose.resources import uses

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
    """The last line the block's header can be on: where the expressions of
    `if ...:`, `for ... in ...:`, `with ...:`, `case ...:` end (a header
    may span lines), or for `else:`/`finally:` the line after what precedes
    it (ast keeps no position for those keywords)."""
    if field == "body" and parent is not None:
        blocks = {id(n) for name in (*_BLOCK_FIELDS, "handlers", "cases")
                  for n in getattr(parent, name, None) or ()}
        header = [n for n in child_nodes(parent) if id(n) not in blocks]
        return max([getattr(parent, "lineno", 0),
                    *(getattr(n, "end_lineno", 0) or 0 for n in header)])
    before: list[ast.AST] = list(getattr(parent, "body", []))
    before += getattr(parent, "handlers", [])
    if field == "finalbody":
        before += getattr(parent, "orelse", [])
    return max((n.end_lineno or 0 for n in before if isinstance(n, (ast.stmt, ast.excepthandler))),
               default=0) + 1


# Why a block cannot be cut (see ``shares_lines``), after what cannot be cut.
SHARES_LINES = ("shares a line with another statement, or its block is indented "
                "irregularly (a form feed)")


def shares_lines(block: list[ast.stmt]) -> bool:
    """Do two statements of the block share a line, or do they start at
    different columns (a form feed in the indentation, which libcst and the
    rewritten block would not agree on)? Either way no `with` can be cut."""
    return any(
        (a.end_lineno or a.lineno) >= b.lineno for a, b in zip(block, block[1:])
    ) or len({stmt.col_offset for stmt in block}) > 1


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
    if not site.async_known and _has_async_sessions(lib):
        return NotFixable("cannot tell whether the client is async")
    is_async = site.is_async or (site.context_only and lib.context_only_is_async)
    if is_async and not in_async_def:
        return NotFixable("an async client outside `async def`")
    if site.context_only or site.member in lib.released_responses:
        # `async with session.get(u) as resp:` (aiohttp) is entered un-awaited.
        return is_async, False
    if is_async:
        return NotFixable("an awaited stream of an async client is closed with "
                          "`await ....aclose()` in a `finally:`")
    return False, not lib.response_is_context_manager


def _has_async_sessions(lib: Library) -> bool:
    return any(lib.sessions.values())


def closing_refusal(analysis: Analysis, site: CallSite) -> str:
    """Why closing what ``site`` makes would do more than close it, or fail:
    a session that owns what it was given (aiohttp's `connector=`), or one
    with an adapter mounted that may have no `close()`."""
    lib = site.library
    if not site.session:
        return ""
    given = {kw.arg: kw.value for kw in site.call.keywords if kw.arg}
    for argument, flag in lib.owned_arguments.items():
        disowned = given.get(flag)
        if argument in given and not (isinstance(disowned, ast.Constant)
                                      and disowned.value is False):
            return (f"closing the session closes the `{argument}` it was given, which others "
                    f"may share (pass `{flag}=False`)")
    if lib.closing_adapters:
        return _adapter_refusal(analysis, site)
    return ""


def _adapter_refusal(analysis: Analysis, site: CallSite) -> str:
    """Closing a requests session closes every adapter mounted on it; an
    adapter class not seen to have a `close()` may raise NotImplementedError.
    The mounts may be where the session is bound, or in the same-module
    function or method that built it (a factory)."""
    assign = analysis.parent(site.call)
    if not isinstance(assign, ast.Assign) or not isinstance(assign.targets[0], ast.Name):
        return ""
    mounts = _mounts(analysis, site.scope, assign.targets[0].id)
    member = analysis.resolver.member(site.call.func, site.scope)
    if member is None or not member.is_session:  # made by a factory of the module
        factory = _factory_of(analysis, site)
        scope = analysis.resolver.scopes.get(factory) if factory is not None else None
        if factory is None or scope is None:
            return "the session comes from a function not seen, which may mount adapters"
        mounts += [(call, scope) for call in ast.walk(factory)
                   if isinstance(call, ast.Call) and _is_mount(call)]
    for call, scope in mounts:
        given = call.args[1:2] or [kw.value for kw in call.keywords if kw.arg == "adapter"]
        if not given or not _closes_itself(analysis, site, scope, given[0]):
            return (f"the adapter mounted on line {call.lineno} may have no `close()`, "
                    "which closing the session calls")
    return ""


def _mounts(analysis: Analysis, scope: Scope, name: str) -> list[tuple[ast.Call, Scope]]:
    """Every `name.mount(...)` in the scope."""
    found = []
    for read in uses(analysis, name, scope):
        attribute = analysis.parent(read)
        call = analysis.parent(attribute) if attribute is not None else None
        if isinstance(call, ast.Call) and _is_mount(call) and call.func is attribute:
            found.append((call, scope))
    return found


def _is_mount(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == "mount"


def _factory_of(analysis: Analysis, site: CallSite) -> ast.AST | None:
    """The same-module function (`make()`) or method (`self._make()`) that
    built the session, if it can be found."""
    func = site.call.func
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    if isinstance(func, ast.Name):
        found = [s for s in analysis.tree.body if isinstance(s, functions) and s.name == func.id]
        return found[0] if len(found) == 1 else None
    owner = site.scope.owner_class
    if isinstance(func, ast.Attribute) and owner is not None:
        methods = [s for s in owner.node.body if isinstance(s, functions) and s.name == func.attr]
        return methods[0] if len(methods) == 1 else None
    return None


def _closes_itself(analysis: Analysis, site: CallSite, scope: Scope, adapter: ast.expr) -> bool:
    """Is ``adapter`` built by a class known to have a `close()`?"""
    if isinstance(adapter, ast.Name):  # `a = HTTPAdapter(...)`, then `s.mount(p, a)`
        stores = scope.stores.get(adapter.id, [])
        value = analysis.parent(stores[0]) if len(stores) == 1 else None
        if not isinstance(value, ast.Assign):
            return False
        adapter = value.value
    if not isinstance(adapter, ast.Call):
        return False
    return _closing_class(analysis, site, scope, adapter.func, depth=0)


def _closing_class(analysis: Analysis, site: CallSite, scope: Scope, cls: ast.expr,
                   depth: int) -> bool:
    lib = site.library
    qualname = analysis.resolver.qualname(cls, scope) or ""
    if any(qualname == f"{lib.module}.{known}" for known in lib.closing_adapters):
        return True
    defined = [node for node in analysis.tree.body if isinstance(node, ast.ClassDef)
               and isinstance(cls, ast.Name) and node.name == cls.id]
    if len(defined) != 1 or depth > 10:
        return False
    body = defined[0].body
    if any(isinstance(s, ast.FunctionDef) and s.name == "close" for s in body):
        return True
    return any(_closing_class(analysis, site, scope, base, depth + 1)
               for base in defined[0].bases)


def names_refusal(analysis: Analysis, name: str) -> str:
    """Why a fix may not write ``name`` meaning the module it imports (or
    that an added `import name` would bind): it is bound to something else
    somewhere in the module (a parameter, a local, a `match` capture, a
    rebinding, an import only for type checking)."""
    for scope in analysis.resolver.scopes.values():
        for store in scope.stores.get(name, []):
            if not (scope is analysis.module_scope and _runtime_import_of(analysis, store, name)):
                line = getattr(store, "lineno", "?")
                return f"the name `{name}` the fix would write is bound on line {line} " \
                       "to something else"
        if name in scope.parameters:
            return f"the name `{name}` the fix would write is a parameter"
    return ""


def _runtime_import_of(analysis: Analysis, node: ast.AST, name: str) -> bool:
    """Is ``node`` an `import ...` binding ``name`` that runs (not under `if
    TYPE_CHECKING:`)?"""
    imports = isinstance(node, ast.Import) and any(
        (alias.asname or alias.name.split(".")[0]) == name for alias in node.names)
    if not imports:
        return False
    return not any(isinstance(a, ast.If) and "TYPE_CHECKING" in ast.unparse(a.test)
                   for a in analysis.ancestors(node))
