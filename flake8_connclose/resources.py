"""What happens to a created session or stream: managed, escaping, or leaked.

A resource is judged like pyflakes judges a name when its scope ends: by
every use of it in the scope that created it.
"""

from __future__ import annotations

import ast
import enum
import sys
from typing import Optional, Sequence, Tuple

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.names import (
    NESTED_SCOPES,
    Scope,
    body_of,
    callee_name,
    is_closing_call,
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
    # Bound to names some other way: `(x := call)`, `x = y = call`,
    # `x, n = call, 1`, or as a fallback `x = given or call` (see ``bound_names``).
    BOUND = "bound"
    ESCAPES = "escapes"  # returned, yielded, stored, handed to a constructor
    INLINE = "inline"  # `call.attr`, or a bare expression statement
    PASSED = "passed"  # an argument to an ordinary function
    OTHER = "other"


def disposition(analysis: Analysis, call: ast.expr) -> tuple[Disposition, ast.AST | None]:
    """Where the result of ``call`` (or of any expression) goes; with NAME,
    the assignment."""
    node: ast.AST = call
    parent = analysis.parent(node)
    while isinstance(parent, ast.Await):
        node, parent = parent, analysis.parent(parent)
    other = _other_binding(analysis, node)
    if other is not None:
        return other[0], other[1]
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


def bound_names(analysis: Analysis, call: ast.expr) -> tuple[str, ...]:
    """The local names a NAME or BOUND disposition binds the result of ``call`` to."""
    node: ast.AST = call
    while isinstance(analysis.parent(node), ast.Await):
        node = analysis.parent(node)  # type: ignore[assignment]
    other = _other_binding(analysis, node)
    if other is not None:
        return other[2]
    return (target_name(analysis.parent(node)),)


def judge_names(analysis: Analysis, site: CallSite, names: Sequence[str]) -> Fate:
    """``judge`` over every name the result is bound to: one that closes it
    or hands it on speaks for all."""
    fates = {judge(analysis, site, name) for name in names}
    for fate in (Fate.MANAGED, Fate.ESCAPES):
        if fate in fates:
            return fate
    return Fate.LEAKS


_Other = Tuple[Disposition, Optional[ast.AST], Tuple[str, ...]]


def _other_binding(analysis: Analysis, node: ast.AST) -> _Other | None:
    """The bindings that are not a plain `x = call`: a walrus, a chained or
    tuple assignment, a fallback (`given or call`, `given if given else call`).
    None for every other shape, which ``disposition`` reads as before."""
    names: list[str] = []
    fallback = False
    parent = analysis.parent(node)
    while True:  # up through fallbacks and walruses to the whole value
        if isinstance(parent, ast.BoolOp) or (
                isinstance(parent, ast.IfExp) and node is not parent.test):
            fallback = True
        elif isinstance(parent, ast.NamedExpr) and node is parent.value:
            names.append(parent.target.id)
        elif isinstance(parent, ast.Await) and (fallback or names):
            pass
        else:
            break
        node, parent = parent, analysis.parent(parent)
    if isinstance(parent, (ast.Tuple, ast.List)):
        return _unpacked(analysis, parent, node, names, fallback)
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and node is parent.value:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        if len(targets) == 1 and not (names or fallback):
            return None  # `x = call` and its cousins: as before
        if _stores(targets):
            return Disposition.ESCAPES, parent, ()
        if all(isinstance(t, ast.Name) for t in targets):
            names += [t.id for t in targets if isinstance(t, ast.Name)]
            return Disposition.BOUND, parent, tuple(names)
        return (Disposition.BOUND, parent, tuple(names)) if names else (
            Disposition.OTHER, parent, ())
    if not (names or fallback):
        return None
    if isinstance(parent, ast.withitem):
        return Disposition.WITH, parent, ()
    if _escapes_through(analysis, node):
        return Disposition.ESCAPES, parent, ()
    return (Disposition.BOUND, parent, tuple(names)) if names else (
        Disposition.OTHER, parent, ())


def _unpacked(analysis: Analysis, values: ast.Tuple | ast.List, node: ast.AST,
              names: list[str], fallback: bool) -> _Other | None:
    """`s, n = call, 1`: the names at the call's place in each target."""
    assign = analysis.parent(values)
    if not (isinstance(assign, ast.Assign) and assign.value is values):
        return (Disposition.BOUND, values, tuple(names)) if names else None
    index = next(i for i, element in enumerate(values.elts) if element is node)
    for target in assign.targets:
        if not (isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == len(values.elts)
                and not any(isinstance(t, ast.Starred) for t in target.elts)):
            return Disposition.OTHER, assign, ()
        element = target.elts[index]
        if isinstance(element, ast.Name):
            names.append(element.id)
        elif isinstance(element, (ast.Attribute, ast.Subscript)):
            return Disposition.ESCAPES, assign, ()
    if names:
        return Disposition.BOUND, assign, tuple(names)
    return (Disposition.OTHER, assign, ()) if fallback else None


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
    the local names of derived iterators already traced, against cycles.
    A loop up the parents, not recursion: calls can nest deeper than
    Python's recursion limit."""
    while True:
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
            if _is_raised(analysis, parent):
                return False  # an error's payload: the normal path must still close it
            if _is_class_like(parent) or callee_name(parent) in _STORING_METHODS \
                    or _is_setter(parent):
                return True
            # `wrap(x)` whose result itself escapes: `return stream_with_context(x)`.
            node = parent
        elif isinstance(parent, ast.comprehension) and node is parent.iter:
            # A generator expression holds its iterable until it is exhausted.
            node = analysis.parent(parent)  # type: ignore[assignment]
            if not isinstance(node, ast.GeneratorExp):
                return False
        elif (isinstance(parent, ast.Attribute)
              and parent.attr in analysis.registry.stream_attributes):
            grand = analysis.parent(parent)
            node = grand if isinstance(grand, ast.Call) and grand.func is parent else parent
            if _local_escapes(analysis, node, followed):
                return True
        else:
            return False


def _is_raised(analysis: Analysis, call: ast.Call) -> bool:
    """`raise ApiError("...", resp)`: the call builds the exception raised."""
    parent = analysis.parent(call)
    return isinstance(parent, ast.Raise) and parent.exc is call


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
    return [node for node in analysis.reads_of(scope.node, body_of(scope.node), name)
            if owner(analysis, node, scope) is not None]


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
        if parent is binding and any(s is node for s in getattr(parent, "body", ())):
            # `for r in ...:` / `with ... as r:` binds it for its whole body.
            index = next(i for i, s in enumerate(getattr(parent, "body")) if s is node)
            return not strict or all(map(_cannot_raise, getattr(parent, "body")[:index]))
        siblings = _statements_beside(parent, node)
        start = next((i for i, s in enumerate(siblings) if s is binding), None)
        if start is not None:  # the binding's own block, whatever holds it
            index = next(i for i, s in enumerate(siblings) if s is node)
            between = siblings[start + 1:index]
            return start < index and (not strict or all(map(_cannot_raise, between)))
        block = _block_holding(parent, node)
        if parent is None or block is None:
            return False
        index = next(i for i, s in enumerate(block) if s is node)
        if strict and not all(_cannot_raise(s) for s in block[:index]):
            return False
        if not isinstance(parent, (ast.With, ast.AsyncWith, *_TRY_NODES)):
            return False
        node = parent


def _statements_beside(parent: ast.AST | None, node: ast.AST) -> list[ast.stmt]:
    """The statement list of ``parent`` that holds ``node`` (any block)."""
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and any(s is node for s in block):
            return block
    return []


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
    """A statement that cannot fail: `pass`, a docstring, a constant or a
    name stored in a name, an attribute or an item (`s.verify = False`,
    `s.headers["Accept"] = accept`); not a call, which can."""
    if isinstance(stmt, (ast.Pass, ast.Global, ast.Nonlocal)):
        return True
    if isinstance(stmt, ast.Expr):
        return isinstance(stmt.value, ast.Constant)
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        return all(map(_plain_target, targets)) and isinstance(
            stmt.value, (ast.Constant, ast.Name, type(None)))
    return False


def _plain_target(target: ast.expr) -> bool:
    """`x`, `x.attr`, `x.attr[key]` with a constant or a name for key."""
    while isinstance(target, (ast.Attribute, ast.Subscript)):
        if isinstance(target, ast.Subscript) and not isinstance(
                target.slice, (ast.Constant, ast.Name)):
            return False
        target = target.value
    return isinstance(target, ast.Name)


def closes_on_every_path(analysis: Analysis, call: ast.Call) -> bool:
    """Does the close ``call`` run however its function ends: is it in a
    `finally:`? For the class rule, which judges attributes, not bindings."""
    child: ast.AST = call
    for parent in analysis.ancestors(call):
        if isinstance(parent, NESTED_SCOPES):
            return False
        if isinstance(parent, _TRY_NODES) and any(child is s for s in getattr(parent, "finalbody")):
            return True
        child = parent
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
