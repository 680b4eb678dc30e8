"""What happens to a created session or stream: managed, escaping, or leaked.

A resource is judged like pyflakes judges a name when its scope ends: by
every use of it in the scope that created it.
"""

from __future__ import annotations

import ast
import enum
import sys
from typing import Sequence

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.names import (
    NESTED_SCOPES,
    Scope,
    body_of,
    callee_name,
    is_closing_call,
    walk,
)

# Closing through the context manager protocol, whatever the library.
EXIT_METHODS = frozenset({"__exit__", "__aexit__"})
ENTER_METHODS = frozenset({"enter_context", "enter_async_context"})
# Calls that store their argument somewhere that outlives the call.
_STORING_METHODS = frozenset({
    "append", "appendleft", "extend", "insert", "add", "put", "put_nowait",
    "setdefault", "update", "push", "register", "setattr", "partial", "__init__",
})
_CONTAINERS = (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Starred)
# `try:` and, from Python 3.11, `try:` with `except*` clauses.
_TRY_NODES: tuple[type[ast.AST], ...] = (ast.Try,)
if sys.version_info >= (3, 11):
    _TRY_NODES += (ast.TryStar,)


class Fate(enum.Enum):
    MANAGED = "managed"  # entered with `with`, or closed on every path
    ESCAPES = "escapes"  # ownership moved elsewhere
    LEAKS = "leaks"


class Disposition(enum.Enum):
    """Where a call's result goes, read off its parents."""

    WITH = "with"  # `with call:`, `closing(call)`, `stack.enter_context(call)`
    NAME = "name"  # `x = call`
    ESCAPES = "escapes"  # returned, yielded, stored, handed to a constructor
    INLINE = "inline"  # `call.attr`, or a bare expression statement
    PASSED = "passed"  # an argument to an ordinary function
    OTHER = "other"


def disposition(analysis: Analysis, call: ast.Call) -> tuple[Disposition, ast.AST | None]:
    """Where the result of ``call`` goes; with NAME, the assignment."""
    node: ast.AST = call
    parent = analysis.parent(node)
    while isinstance(parent, ast.Await):
        node, parent = parent, analysis.parent(parent)
    if isinstance(parent, ast.withitem):
        return Disposition.WITH, parent
    if isinstance(parent, ast.Call) and node is not parent.func:
        if is_closing_call(parent) or callee_name(parent) in ENTER_METHODS:
            return Disposition.WITH, parent
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and node is parent.value:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            return Disposition.NAME, parent
        return Disposition.ESCAPES if _stores(targets) else Disposition.OTHER, parent
    if _escapes_through(analysis, node):
        return Disposition.ESCAPES, parent
    if isinstance(parent, (ast.Attribute, ast.Expr)):
        return Disposition.INLINE, parent
    if isinstance(parent, (ast.Call, ast.keyword)):
        return Disposition.PASSED, parent
    return Disposition.OTHER, parent


def _stores(targets: Sequence[ast.expr]) -> bool:
    return any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in targets)


def _is_setter(call: ast.Call) -> bool:
    """`source.setByteStream(f)`, `client.set_session(s)`: a method that
    stores its argument on its object, which then holds the resource."""
    if not isinstance(call.func, ast.Attribute):
        return False
    name = call.func.attr
    return name.startswith("set") and (name[3:4] == "_" or name[3:4].isupper())


def _is_class_like(call: ast.Call) -> bool:
    name = callee_name(call)
    return bool(name) and name[0].isupper()


def _escapes_through(analysis: Analysis, node: ast.AST,
                     followed: frozenset[str] = frozenset()) -> bool:
    """Does the value of ``node`` leave the function: returned, yielded, stored,
    kept in a container that does, or handed to a constructor? ``followed``:
    the local names of derived iterators already traced, against cycles."""
    parent = analysis.parent(node)
    while isinstance(parent, (ast.Await, ast.keyword, ast.Starred)):
        node, parent = parent, analysis.parent(parent)
    if isinstance(parent, (ast.Return, ast.Yield, ast.YieldFrom)):
        return True
    if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        return _stores(targets) and node is parent.value
    if isinstance(parent, _CONTAINERS):
        return True
    if isinstance(parent, ast.Call) and node is not parent.func:
        if _is_class_like(parent) or callee_name(parent) in _STORING_METHODS \
                or _is_setter(parent):
            return True
        # `wrap(x)` whose result itself escapes: `return stream_with_context(x)`.
        return _escapes_through(analysis, parent, followed)
    if isinstance(parent, ast.comprehension) and node is parent.iter:
        # A generator expression holds its iterable until it is exhausted.
        owner = analysis.parent(parent)
        return isinstance(owner, ast.GeneratorExp) and _escapes_through(analysis, owner, followed)
    if isinstance(parent, ast.Attribute) and parent.attr in analysis.registry.stream_attributes:
        grand = analysis.parent(parent)
        derived = grand if isinstance(grand, ast.Call) and grand.func is parent else parent
        return (_escapes_through(analysis, derived, followed)
                or _local_escapes(analysis, derived, followed))
    return False


def _local_escapes(analysis: Analysis, derived: ast.AST, followed: frozenset[str]) -> bool:
    """`lines = r.iter_lines()`: does the local bound to a derived iterator
    escape (`return lines`)? A closure that reads it shares it."""
    assign = analysis.parent(derived)
    if not (isinstance(assign, ast.Assign) and derived is assign.value
            and len(assign.targets) == 1 and isinstance(assign.targets[0], ast.Name)):
        return False
    name = assign.targets[0].id
    scope_node = next(
        (a for a in analysis.ancestors(assign) if isinstance(a, (ast.Module, *NESTED_SCOPES))),
        None,
    )
    scope = analysis.resolver.scopes.get(scope_node) if scope_node is not None else None
    if scope is None or name in followed:
        return False
    return any(
        owner(analysis, use, scope) is not scope.node
        or _escapes_through(analysis, use, followed | {name})
        for use in uses(analysis, name, scope)
    )


def judge(analysis: Analysis, site: CallSite, name: str) -> Fate:
    """The fate of what ``site`` made, bound to ``name`` in its scope, from
    every use; its library says which methods close it."""
    scope = site.scope
    closes = site.library.closes(site.session) | EXIT_METHODS
    fates = {_use_fate(analysis, use, scope, closes) for use in uses(analysis, name, scope)}
    if Fate.MANAGED in fates:
        return Fate.MANAGED
    if Fate.ESCAPES in fates:
        return Fate.ESCAPES
    return Fate.LEAKS


def uses(analysis: Analysis, name: str, scope: Scope) -> list[ast.Name]:
    """Every read of ``name`` that refers to the binding in ``scope``, its
    nested scopes' included, in ``ast.walk`` order statement by statement."""
    return [
        node for stmt in body_of(scope.node) for node in walk(stmt)
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
        and owner(analysis, node, scope) is not None
    ]


def _use_fate(analysis: Analysis, use: ast.Name, scope: Scope,
              closes: frozenset[str]) -> Fate | None:
    if owner(analysis, use, scope) is not scope.node:
        # A closure that reads the name may outlive the call: ownership is shared.
        return Fate.ESCAPES
    parent = analysis.parent(use)
    if isinstance(parent, ast.withitem):
        return Fate.MANAGED if _unconditional(analysis, use) else None
    if isinstance(parent, ast.Call) and use is not parent.func:
        if is_closing_call(parent) or callee_name(parent) in ENTER_METHODS:
            return Fate.MANAGED if _unconditional(analysis, use) else None
    if isinstance(parent, ast.Attribute) and parent.attr in closes:
        return _close_fate(analysis, parent, use)
    if isinstance(parent, ast.Assign) and use is parent.value:
        # `other = s`: an alias we do not follow; assume it is looked after.
        return Fate.ESCAPES
    return Fate.ESCAPES if _escapes_through(analysis, use) else None


def _close_fate(analysis: Analysis, attribute: ast.Attribute, use: ast.Name) -> Fate | None:
    call = analysis.parent(attribute)
    if not (isinstance(call, ast.Call) and call.func is attribute):
        return Fate.MANAGED  # `atexit.register(s.close)`, `stack.callback(s.close)`
    return Fate.MANAGED if _in_finally_of_every_path(analysis, call, use) else None


def _binding_of(analysis: Analysis, use: ast.Name) -> ast.stmt | None:
    """The statement that binds the name ``use`` reads, when it is the one
    assignment of the name in its scope (what the rules judge)."""
    for ancestor in analysis.ancestors(use):
        if isinstance(ancestor, (ast.Module, *NESTED_SCOPES)):
            scope = analysis.resolver.scopes.get(ancestor)
            stores = scope.stores.get(use.id, []) if scope is not None else []
            if len(stores) != 1:
                return None
            binding = next((a for a in analysis.ancestors(stores[0])
                            if isinstance(a, ast.stmt)), None)
            return binding
    return None


def _in_finally_of_every_path(analysis: Analysis, close: ast.AST, use: ast.Name) -> bool:
    """Is ``close`` in the `finally:` of a `try` that every path from the
    binding reaches: one whose body holds the binding, or one that starts
    right after it (nothing that can raise in between)?"""
    binding = _binding_of(analysis, use)
    child: ast.AST = close
    for parent in analysis.ancestors(close):
        if isinstance(parent, NESTED_SCOPES):
            return False
        if isinstance(parent, _TRY_NODES) and any(child is s for s in getattr(parent, "finalbody")):
            if binding is None:
                return True  # bound more than once: judged leniently, as before
            if any(a is parent for a in analysis.ancestors(binding)):
                return _within(analysis, binding, getattr(parent, "body"))
            if isinstance(parent, ast.stmt) and _reached_from(analysis, binding, parent):
                return True
        child = parent
    return False


def _within(analysis: Analysis, node: ast.AST, body: list[ast.stmt]) -> bool:
    ids = {id(s) for s in body}
    return any(id(a) in ids for a in (node, *analysis.ancestors(node)))


def _unconditional(analysis: Analysis, use: ast.Name) -> bool:
    """Is the `with` (or `closing`, `enter_context`) at ``use`` on every path
    from the binding: later in the binding's block, through `with` and `try`
    bodies only, not in one branch of an `if`, a loop or an `except`?"""
    binding = _binding_of(analysis, use)
    if binding is None:
        return True  # bound more than once: judged leniently, as before
    statement = next(a for a in analysis.ancestors(use) if isinstance(a, ast.stmt))
    return _reached_from(analysis, binding, statement, strict=False)


def _reached_from(analysis: Analysis, binding: ast.stmt, target: ast.stmt,
                  strict: bool = True) -> bool:
    """Does every path that runs ``binding`` go on to run ``target``? They
    share a block, ``target`` is reached through `with`/`try` bodies only,
    and (``strict``) only statements that cannot raise lie between them."""
    node: ast.AST = target
    while True:
        parent = analysis.parent(node)
        block = _block_holding(parent, node)
        if parent is None or block is None:
            return False
        index = next(i for i, s in enumerate(block) if s is node)
        start = next((i for i, s in enumerate(block) if s is binding), None)
        if start is not None:
            between = block[start + 1:index]
            return start < index and (not strict or all(map(_cannot_raise, between)))
        if strict and not all(_cannot_raise(s) for s in block[:index]):
            return False
        if not isinstance(parent, (ast.With, ast.AsyncWith, *_TRY_NODES)):
            return False
        node = parent


def _block_holding(parent: ast.AST | None, node: ast.AST) -> list[ast.stmt] | None:
    """The body of ``parent`` that holds ``node`` (a `try`'s body or finally,
    a `with`'s body; any block of a function or module), else None: an
    `if`, a loop, an `else:` or an `except:` is not every path."""
    if isinstance(parent, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.With,
                           ast.AsyncWith)):
        return parent.body if any(s is node for s in parent.body) else None
    if isinstance(parent, _TRY_NODES):
        for field in ("body", "finalbody"):
            block = getattr(parent, field)
            if any(s is node for s in block):
                return list(block)
    return None


def _cannot_raise(stmt: ast.stmt) -> bool:
    """A statement that cannot fail: `pass`, a docstring, a name bound to a
    constant or a name."""
    if isinstance(stmt, (ast.Pass, ast.Global, ast.Nonlocal)):
        return True
    if isinstance(stmt, ast.Expr):
        return isinstance(stmt.value, ast.Constant)
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        return all(isinstance(t, ast.Name) for t in targets) and isinstance(
            stmt.value, (ast.Constant, ast.Name, type(None)))
    return False


def owner(analysis: Analysis, use: ast.Name, scope: Scope) -> ast.AST | None:
    """The scope node a read belongs to: ``scope``'s own, the nested scope
    that captures it, or None where a nested scope binds the name itself."""
    for parent in analysis.ancestors(use):
        if parent is scope.node:
            return parent
        if isinstance(parent, NESTED_SCOPES):
            inner = analysis.resolver.scopes.get(parent)
            if inner is not None and inner.binds(use.id) and use.id not in inner.outer_names:
                return None
            return parent
    return None


def target_name(assignment: ast.AST | None) -> str:
    """The name a NAME disposition binds: `x = call` -> "x"."""
    assert isinstance(assignment, (ast.Assign, ast.AnnAssign))
    target = assignment.targets[0] if isinstance(assignment, ast.Assign) else assignment.target
    assert isinstance(target, ast.Name)
    return target.id
