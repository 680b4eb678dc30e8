"""Scopes and bindings: what a name in the code refers to.

Modelled on pyflakes: each module, class and function body is a ``Scope``
holding the names it binds. A name is an import (a qualified name), a tracked
session, a same-module session factory, or some other local that shadows
anything outer. All state lives here, never on the shared AST.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, ClassVar, Protocol, Union

from flake8_connclose.libraries import Library, Member, Registry

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]
ScopeNode = Union[ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]
NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Binding:
    """What one name holds; the subclasses say what. When a name is bound
    more than once the kind of higher ``rank`` wins: `requests = None` in an
    `except ImportError:` must not hide the import."""

    rank: ClassVar[int] = 0


@dataclass(frozen=True)
class Local(Binding):
    """Anything else: a plain local, a parameter, a def; shadows outer names."""


@dataclass(frozen=True)
class SessionBinding(Binding):
    """A tracked session or client (``library`` None: a session type not known)."""

    library: Library | None
    is_async: bool = False
    rank: ClassVar[int] = 1


@dataclass(frozen=True)
class Factory(Binding):
    """A same-module function that builds and returns a session."""

    library: Library | None
    is_async: bool = False
    rank: ClassVar[int] = 2


@dataclass(frozen=True)
class Import(Binding):
    """A module or a name of one, by its qualified name (also `get = requests.get`)."""

    qualname: str
    rank: ClassVar[int] = 3


@dataclass(frozen=True)
class StarImport(Import):
    """A tracked name bound by `from requests import *`: any other binding
    of the name in the scope wins over it."""

    rank: ClassVar[int] = -1


@dataclass(frozen=True)
class Partial(Binding):
    """`fetch = functools.partial(requests.get, timeout=5)`: calling it calls
    the functional API named by ``qualname``."""

    qualname: str
    rank: ClassVar[int] = 2


LOCAL = Local()


@dataclass
class Scope:
    node: ScopeNode
    parent: Scope | None
    names: dict[str, Binding] = field(default_factory=dict)
    # Names declared `global`/`nonlocal`: they live in an outer scope.
    outer_names: set[str] = field(default_factory=set)
    # Every node of the scope's own code that binds or deletes a name
    # (parameters excepted: see ``parameters``), in source order.
    stores: dict[str, list[ast.AST]] = field(default_factory=dict)
    deletes: dict[str, list[ast.AST]] = field(default_factory=dict)
    parameters: frozenset[str] = frozenset()
    # For a method: the name of its first parameter and the class it is in.
    self_name: str | None = None
    owner_class: ClassInfo | None = None

    @property
    def is_function(self) -> bool:
        return isinstance(self.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))

    @property
    def is_async(self) -> bool:
        return isinstance(self.node, ast.AsyncFunctionDef)

    def bind(self, name: str, binding: Binding) -> None:
        old = self.names.get(name)
        if old is None or binding.rank >= old.rank:
            self.names[name] = binding

    def binds(self, name: str) -> bool:
        """Is ``name`` local to this scope (bound here, or a parameter)?"""
        return name in self.stores or name in self.deletes or name in self.parameters

    def lookup(self, name: str) -> Binding | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.names and name not in scope.outer_names:
                return scope.names[name]
            scope = scope.parent
            # Class bodies are not visible from the functions inside them.
            while scope is not None and isinstance(scope.node, ast.ClassDef):
                scope = scope.parent
        return None


class Relevance(Protocol):
    """What the text says of a module's statements (``relevance.Relevance``)."""

    passed_over: set[ast.stmt]  # top-level statements that spell nothing tracked

    def spells(self, node: ast.stmt) -> bool: ...

    def defines_class(self, name: str) -> bool: ...

    def is_a_base(self, name: str) -> bool: ...


@dataclass
class ClassInfo:
    """Session attributes of one class: owned (created here) and merely held."""

    node: ast.ClassDef
    # attribute -> the constructor calls assigned to `self.<attribute>`
    owned: dict[str, list[ast.Call]] = field(default_factory=dict)
    # attribute -> the libraries of the sessions it may hold (a requests
    # session in one method, an httpx client in another), and which are async.
    receivers: dict[str, list[Library]] = field(default_factory=dict)
    async_receivers: set[str] = field(default_factory=set)
    # methods that build and return a session: `self._get_session()`
    factories: dict[str, Factory] = field(default_factory=dict)

    def hold(self, attr: str, library: Library, is_async: bool = False) -> None:
        held = self.receivers.setdefault(attr, [])
        if library not in held:
            held.append(library)
        if is_async:
            self.async_receivers.add(attr)


# Fields that never hold a node to walk into: names, numbers, strings, and
# the shared `Load()`/`Add()`/`Eq()` singletons below `ctx`, `op` and `ops`.
_SCALAR_FIELDS = frozenset({
    "id", "attr", "arg", "asname", "module", "level", "kind", "conversion", "is_async",
    "simple", "type_comment", "tag", "ctx", "op", "ops",
})
# Per node type, the fields worth a look (a `Constant`'s value is no node).
_WALKED: dict[type, tuple[str, ...]] = {ast.Constant: ()}


_SCOPE_TYPES = frozenset(NESTED_SCOPES)
# The only nodes ``_bind_other`` binds a name for (ast.parse makes no subclasses).
_BINDING_TYPES = frozenset({ast.Assign, ast.AnnAssign, ast.withitem, ast.Name, ast.FunctionDef,
                            ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler,
                            ast.NamedExpr})
# The nodes that bind or delete a name, whatever they bind it to (``_record_store``).
# `match` patterns that capture a name (Python 3.10 and later).
_CAPTURES: tuple[type[ast.AST], ...] = tuple(
    getattr(ast, name) for name in ("MatchAs", "MatchStar") if hasattr(ast, name))
_MAPPING_REST: tuple[type[ast.AST], ...] = tuple(
    getattr(ast, name) for name in ("MatchMapping",) if hasattr(ast, name))
_STORING_TYPES = frozenset({ast.Name, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                            ast.ExceptHandler, ast.Import, ast.ImportFrom,
                            *_CAPTURES, *_MAPPING_REST})


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes(node)`` as a list, in the same order, less the
    operator and context singletons: the walks' inner loop, at a fraction of
    the generator's cost."""
    fields = _WALKED.get(type(node))
    if fields is None:
        fields = _WALKED[type(node)] = tuple(
            name for name in node._fields if name not in _SCALAR_FIELDS)
    children: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if value.__class__ is list:  # `ast` makes plain lists; a loop, no list to extend by
            for item in value:
                if isinstance(item, ast.AST):
                    children.append(item)
        elif isinstance(value, ast.AST):
            children.append(value)
    return children


def walk(node: ast.AST) -> list[ast.AST]:
    """``ast.walk(node)`` as a list, in the same (breadth-first) order, less
    the operator and context singletons."""
    found = [node]
    index = 0
    while index < len(found):
        found += child_nodes(found[index])
        index += 1
    return found


# The nodes the name model reads in a scope's own code: what binds, stores
# or deletes a name (a Name only when it is no load), imports and `global`
# declarations, and what shows a function to be a factory.
_READ_TYPES = frozenset({*_BINDING_TYPES, *_STORING_TYPES, ast.Global, ast.Nonlocal,
                         ast.Return, ast.Yield, ast.YieldFrom})
# What the reading does not walk into: a nested scope (its own reading's),
# and a name or constant (nothing below).
_NOT_ENTERED = frozenset({*_SCOPE_TYPES, ast.Name, ast.Constant})


def _read_nodes(nodes: list[ast.stmt] | list[ast.expr],
                children_of: dict[ast.AST, list[ast.AST]]) -> list[ast.AST]:
    """The nodes of a scope's own code (nested scopes excluded, but for
    their own node: a `def` binds its name here) that the name model reads,
    in source order (depth first); each node's ``child_nodes`` are kept in
    ``children_of`` for the analysis walk that follows."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(reversed(nodes))
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind in _READ_TYPES and not (
                kind is ast.Name and type(getattr(node, "ctx")) is ast.Load):
            found.append(node)
        if kind not in _NOT_ENTERED:
            children = children_of[node] = child_nodes(node)
            stack += children[::-1]
    return found


def body_of(node: ScopeNode) -> list[ast.stmt] | list[ast.expr]:
    return [node.body] if isinstance(node, ast.Lambda) else node.body


class Resolver:
    """Builds scopes once per scope node and answers "what is this?"."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.scopes: dict[ast.AST, Scope] = {}
        self.classes: dict[ast.ClassDef, ClassInfo] = {}
        # What the name model reads of each scope's own nodes, found once when
        # the scope is built, and each node's children found on the way (the
        # analysis walk takes them).
        self._own: dict[ast.AST, list[ast.AST]] = {}
        self.children_of: dict[ast.AST, list[ast.AST]] = {}
        self.passed_over: set[ast.stmt] = set()
        self.relevance: Relevance | None = None

    # -- expressions ---------------------------------------------------------

    def qualname(self, expr: ast.expr, scope: Scope) -> str | None:
        """`rq.sessions.Session` -> "requests.sessions.Session" when rq is requests."""
        attributes: list[str] = []
        while isinstance(expr, ast.Attribute):  # a loop: chains can be long
            attributes.append(expr.attr)
            expr = expr.value
        if isinstance(expr, ast.Name):
            binding = scope.lookup(expr.id)
            if isinstance(binding, Import):
                return ".".join([binding.qualname, *reversed(attributes)])
        return None

    def member(self, expr: ast.expr, scope: Scope) -> Member | None:
        qualname = self.qualname(expr, scope)
        return self.registry.lookup(qualname) if qualname else None

    def session_constructor(self, call: ast.expr, scope: Scope) -> SessionBinding | None:
        """A session binding if ``call`` builds a tracked session, else None."""
        if not isinstance(call, ast.Call):
            return None
        member = self.member(call.func, scope)
        if member is not None and member.is_session:
            return SessionBinding(member.library, member.is_async_session)
        if isinstance(call.func, ast.Name):
            binding = scope.lookup(call.func.id)
            if isinstance(binding, Factory):
                return SessionBinding(binding.library, binding.is_async)
        elif self._is_self(call.func.value if isinstance(call.func, ast.Attribute) else None,
                           scope):
            assert isinstance(call.func, ast.Attribute) and scope.owner_class is not None
            made = scope.owner_class.factories.get(call.func.attr)
            if made is not None:
                return SessionBinding(made.library, made.is_async)
        return None

    @staticmethod
    def _is_self(expr: ast.expr | None, scope: Scope) -> bool:
        """Is ``expr`` the `self` of a method (or of a closure inside one)?"""
        return (isinstance(expr, ast.Name) and expr.id == scope.self_name
                and scope.owner_class is not None)

    def is_session_type(self, annotation: ast.expr | None, scope: Scope) -> Library | None:
        """The library of a session type named anywhere in an annotation."""
        member = self.session_type(annotation, scope)
        return member.library if member is not None else None

    def session_type(self, annotation: ast.expr | None, scope: Scope) -> Member | None:
        """The session type named anywhere in an annotation."""
        if annotation is None:
            return None
        for node in walk(annotation):
            if isinstance(node, (ast.Name, ast.Attribute)):
                member = self.member(node, scope)
                if member is not None and member.is_session:
                    return member
        return None

    def receiver(self, expr: ast.expr, scope: Scope) -> Library | None:
        """The library of the session ``expr`` holds: a name or `self.<attr>`."""
        held = self.receiver_libraries(expr, scope)
        return held[0] if held else None

    def receiver_libraries(self, expr: ast.expr, scope: Scope) -> list[Library]:
        """Every library whose session ``expr`` may hold (`self.<attr>` can
        hold a requests session and, after another method ran, an httpx client)."""
        if isinstance(expr, ast.Name):
            binding = scope.lookup(expr.id)
            if isinstance(binding, SessionBinding) and binding.library is not None:
                return [binding.library]
        elif isinstance(expr, ast.Attribute) and self._is_self(expr.value, scope):
            assert scope.owner_class is not None
            return scope.owner_class.receivers.get(expr.attr, [])
        return []

    def receiver_is_async(self, expr: ast.expr, scope: Scope) -> bool | None:
        """Whether ``expr`` holds an async client: known for a name bound to a
        session and for a `self.<attr>` assigned one; None (not known) for an
        attribute known only from an annotation or a hand-over."""
        if isinstance(expr, ast.Name):
            binding = scope.lookup(expr.id)
            return isinstance(binding, SessionBinding) and binding.is_async
        if isinstance(expr, ast.Attribute) and self._is_self(expr.value, scope):
            assert scope.owner_class is not None
            if expr.attr in scope.owner_class.async_receivers:
                return True
            return False if expr.attr in scope.owner_class.owned else None
        return None

    # -- scopes ----------------------------------------------------------------

    def scope_for(self, node: ScopeNode, parent: Scope | None) -> Scope:
        scope = self.scopes.get(node)
        if scope is None:
            scope = self.scopes[node] = Scope(node, parent)
            if isinstance(parent, Scope) and isinstance(parent.node, ast.ClassDef):
                self._enter_method(scope, parent.node)
            self._bind_scope(scope)
            if parent is not None and scope.self_name is None and parent.self_name is not None:
                # A closure inside a method sees the method's `self`, unless it rebinds it.
                if parent.self_name not in scope.names:
                    scope.self_name, scope.owner_class = parent.self_name, parent.owner_class
        return scope

    def module_scope(self, tree: ast.Module,
                     relevance: Callable[[Scope], Relevance] | None = None) -> Scope:
        """The module's scope, its factories found. ``relevance``, given the
        scope of imports and assignments, tells which statements spell
        nothing tracked: the caller's walk passes over them, and no scope of
        theirs is built (a top-level statement, or a method: ``class_info``)."""
        scope = self.scope_for(tree, None)
        if relevance is not None:
            self.relevance = relevance(scope)
            self.passed_over = set(self.relevance.passed_over)
        self._find_factories(scope)
        return scope

    def class_info(self, node: ast.ClassDef, scope: Scope) -> ClassInfo:
        """Which `self.<attr>` of a class hold sessions (built once per class)."""
        info = self.classes.get(node)
        if info is not None:
            return info
        info = self.classes[node] = ClassInfo(node)
        for base in self._bases(node, scope):
            # What a base class of the same module keeps on `self`, this class has.
            for attr, libraries in base.receivers.items():
                for held in libraries:
                    info.hold(attr, held, attr in base.async_receivers)
            info.factories.update(base.factories)
        class_scope = self.scope_for(node, scope)
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                library = self.is_session_type(stmt.annotation, class_scope)
                if library is not None:
                    info.hold(stmt.target.id, library)
        methods = [stmt for stmt in node.body if isinstance(stmt, FUNCTION_NODES)]
        unread = self._unrelated_methods(node, methods)
        inherited = dict(info.factories)
        self._find_method_factories(info, class_scope, [m for m in methods if m not in unread])
        if unread and info.factories != inherited:
            # `return self._build()` makes a factory of a method that spells
            # nothing tracked: every method counts, in their order.
            info.factories = inherited
            self._find_method_factories(info, class_scope, methods)
        kept = ({a: list(c) for a, c in info.owned.items()},
                {a: list(held) for a, held in info.receivers.items()}, set(info.async_receivers))
        for method in methods:
            if method not in unread:
                self._collect_self_sessions(info, self.scope_for(method, class_scope))
        if not (info.receivers or info.factories or info.owned):
            # No method keeps a session on `self`: one that spells nothing
            # tracked can neither use one nor close one.
            self.passed_over.update(unread)
        elif unread:  # every method counts, in their order
            info.owned, info.receivers, info.async_receivers = kept
            for method in methods:
                self._collect_self_sessions(info, self.scope_for(method, class_scope))
        return info

    def _find_method_factories(self, info: ClassInfo, class_scope: Scope,
                               methods: list[FunctionNode]) -> None:
        for method in methods:
            if all(_is_plain_method_decorator(d) for d in method.decorator_list):
                made = self._factory_binding(self.scope_for(method, class_scope))
                if made is not None:
                    info.factories[method.name] = made

    def _unrelated_methods(self, node: ast.ClassDef,
                           methods: list[FunctionNode]) -> set[FunctionNode]:
        """The methods that spell nothing tracked, of a class that no class
        of the module inherits from and that inherits from none of them
        (their methods would close what it keeps on `self`, or it theirs)."""
        relevance = self.relevance
        if relevance is None or relevance.is_a_base(node.name) or any(
                isinstance(base, ast.Name) and relevance.defines_class(base.id)
                for base in node.bases):
            return set()
        return {method for method in methods if not relevance.spells(method)}

    def _bases(self, node: ast.ClassDef, scope: Scope) -> list[ClassInfo]:
        """The classes ``node`` inherits from that the same scope defines before it."""
        names = {base.id for base in node.bases if isinstance(base, ast.Name)}
        return [info for other, info in self.classes.items()
                if other.name in names and other is not node
                and self.scopes.get(other) is not None
                and self.scopes[other].parent is scope]

    def _enter_method(self, scope: Scope, class_node: ast.ClassDef) -> None:
        node = scope.node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        positional = node.args.posonlyargs + node.args.args
        is_static = any(
            isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list
        )
        if positional and not is_static:
            scope.self_name = positional[0].arg
            scope.owner_class = self.classes.get(class_node)

    def _collect_self_sessions(self, info: ClassInfo, scope: Scope) -> None:
        for node in self._own_nodes(scope):
            if isinstance(node, ast.Assign):
                targets, value, annotation = node.targets, node.value, None
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value, annotation = [node.target], node.value, node.annotation
            else:
                continue
            for target in targets:
                if not (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == scope.self_name
                ):
                    continue
                self._note_self_attribute(info, scope, target.attr, value, annotation)

    def _note_self_attribute(self, info: ClassInfo, scope: Scope, attr: str,
                             value: ast.expr, annotation: ast.expr | None) -> None:
        created = [
            call for call in _maybe_values(value)
            if self.session_constructor(call, scope) is not None
        ] or self._built_locally(value, scope)
        if created:
            info.owned.setdefault(attr, []).append(created[0])  # type: ignore[arg-type]
            binding = self.session_constructor(created[0], scope)
            assert binding is not None and binding.library is not None
            info.hold(attr, binding.library, binding.is_async)
            return
        library = self.is_session_type(annotation, scope)
        if library is not None:
            info.hold(attr, library)
        for library in self.receiver_libraries(value, scope):
            info.hold(attr, library, bool(self.receiver_is_async(value, scope)))

    def _built_locally(self, value: ast.expr, scope: Scope) -> list[ast.expr]:
        """`s = requests.Session(); s.mount(...); self.session = s`: the
        constructor calls the method itself bound to the name it stores."""
        if not (isinstance(value, ast.Name) and scope.is_function) or value.id in scope.parameters:
            return []
        return [
            call for node in self._own_nodes(scope) if isinstance(node, ast.Assign)
            for target in node.targets for name, bound in _pairs(target, node.value)
            if name == value.id
            for call in _maybe_values(bound) if self.session_constructor(call, scope) is not None
        ]

    def _bind_scope(self, scope: Scope) -> None:
        node = scope.node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self._bind_parameters(scope, node.args)
        nodes = self._own[node] = _read_nodes(body_of(node), self.children_of)
        # Imports first: the assignments below are resolved through them.
        for child in nodes:
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                _bind_import(scope, child, self.registry)
            elif isinstance(child, (ast.Global, ast.Nonlocal)):
                scope.outer_names.update(child.names)
        for child in nodes:
            if type(child) in _BINDING_TYPES:
                self._bind_other(scope, child)
            if type(child) in _STORING_TYPES:
                _record_store(scope, child)

    def _own_nodes(self, scope: Scope) -> list[ast.AST]:
        """The nodes of the scope's own code that the name model reads."""
        nodes = self._own.get(scope.node)
        return nodes if nodes is not None else _read_nodes(body_of(scope.node), {})

    def _bind_parameters(self, scope: Scope, args: ast.arguments) -> None:
        every = _all_arguments(args)
        scope.parameters = frozenset(arg.arg for arg in every)
        for arg in every:
            member = self.session_type(arg.annotation, scope.parent or scope)
            scope.bind(arg.arg, SessionBinding(member.library, member.is_async_session)
                       if member else LOCAL)

    def _bind_other(self, scope: Scope, node: ast.AST) -> None:
        if type(node) is ast.Name:  # the commonest, and only a local
            if not isinstance(node.ctx, ast.Load):
                scope.bind(node.id, LOCAL)
            return
        if isinstance(node, ast.Assign):
            # `x = v`, `x = y = v` and `x, n = v, 1` bind alike.
            for target in node.targets:
                for name, value in _pairs(target, node.value):
                    scope.bind(name, self._value_binding(value, scope))
            if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                return
        elif isinstance(node, ast.NamedExpr):
            scope.bind(node.target.id, self._value_binding(node.value, scope))
            return
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            member = self.session_type(node.annotation, scope)
            binding = self._value_binding(node.value, scope) if node.value else LOCAL
            if member is not None and isinstance(binding, Local):
                binding = SessionBinding(member.library, member.is_async_session)
            scope.bind(node.target.id, binding)
            return
        elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
            made = self.session_constructor(_unwrap_closing(node.context_expr), scope)
            scope.bind(node.optional_vars.id, made or LOCAL)
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope.bind(node.name, LOCAL)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            scope.bind(node.name, LOCAL)

    def _value_binding(self, value: ast.expr, scope: Scope) -> Binding:
        # `given or requests.Session()`: a session either way.
        for candidate in _maybe_values(value):
            session = self.session_constructor(candidate, scope)
            if session is not None:
                return session
        # `get = requests.get`, `rq = requests`: an alias of something tracked.
        qualname = self.qualname(value, scope)
        if qualname is not None and (self.registry.lookup(qualname) is not None
                                     or qualname in self.registry.modules):
            return Import(qualname)
        functional = self.partial_of(value, scope)
        if functional is not None:
            return Partial(functional)
        return LOCAL

    def partial_of(self, value: ast.expr, scope: Scope) -> str | None:
        """`functools.partial(requests.get, ...)`: the functional API it calls."""
        if not (isinstance(value, ast.Call) and value.args
                and self.qualname(value.func, scope) == "functools.partial"):
            return None
        return self.functional_reference(value.args[0], scope)

    def functional_reference(self, expr: ast.expr, scope: Scope) -> str | None:
        """The functional API ``expr`` names without calling it (`requests.get`,
        or a name bound to a partial of it)."""
        if isinstance(expr, ast.Name):
            binding = scope.lookup(expr.id)
            if isinstance(binding, Partial):
                return binding.qualname
        qualname = self.qualname(expr, scope)
        member = self.registry.lookup(qualname) if qualname else None
        if member is not None and member.name in member.library.functional:
            return qualname
        return self.partial_of(expr, scope)

    def _find_factories(self, module: Scope) -> None:
        """Same-module functions that only build and return a session. Not a
        decorated one: its decorator decides what a call returns, and
        `@lru_cache` hands every caller the same session."""
        for stmt in body_of(module.node):
            if isinstance(stmt, FUNCTION_NODES) and not stmt.decorator_list \
                    and stmt not in self.passed_over:
                made = self._factory_binding(self.scope_for(stmt, module))
                if made is not None:
                    module.bind(stmt.name, made)

    def _factory_binding(self, scope: Scope) -> Factory | None:
        returned: list[SessionBinding | None] = []
        for node in self._own_nodes(scope):
            if isinstance(node, (ast.Yield, ast.YieldFrom)):
                return None
            if isinstance(node, ast.Return):
                returned.append(self._returned_session(node.value, scope))
        if not returned or any(b is None for b in returned):
            return None
        first = returned[0]
        assert first is not None
        return Factory(first.library, first.is_async)

    def _returned_session(self, value: ast.expr | None, scope: Scope) -> SessionBinding | None:
        """The session ``return value`` hands back if the function built it:
        not a parameter's session, nor an outer one it only hands out."""
        if isinstance(value, ast.Name):
            if value.id in scope.outer_names or value.id in _parameters(scope.node):
                return None
            binding = scope.names.get(value.id)
            if not isinstance(binding, SessionBinding) or self._kept(value.id, scope):
                return None
            return binding
        return self.session_constructor(value, scope) if value is not None else None

    def _kept(self, name: str, scope: Scope) -> bool:
        """Is the session ``name`` returns possibly one the function keeps or
        was handed (a cache: `m = self.pools[k] = make()`, `m = self.pools[k]`)?
        Then each call does not build a new one for its caller to close."""
        for node in self._own_nodes(scope):
            if not isinstance(node, (ast.Assign, ast.AnnAssign)):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t for t in targets if isinstance(t, ast.Name) and t.id == name]
            holds = isinstance(node.value, ast.Name) and node.value.id == name
            if names and (node.value is None or self.session_constructor(node.value, scope) is None
                          or len(names) != len(targets)):
                return True  # bound to something else too, or also stored elsewhere
            if holds and any(not isinstance(t, ast.Name) for t in targets):
                return True  # `self.cache[k] = name`
        return False


def _bind_import(scope: Scope, node: ast.Import | ast.ImportFrom, registry: Registry) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                scope.bind(alias.asname, Import(alias.name))
            else:
                top = alias.name.split(".")[0]
                scope.bind(top, Import(top))
        return
    for alias in node.names:
        if alias.name == "*":
            if not node.level and node.module in registry.modules:
                for name in registry.exported(node.module):
                    scope.bind(name, StarImport(f"{node.module}.{name}"))
            continue
        bound = alias.asname or alias.name
        if node.level or not node.module:
            scope.bind(bound, LOCAL)  # relative imports are never the library
        else:
            scope.bind(bound, Import(f"{node.module}.{alias.name}"))


def _record_store(scope: Scope, node: ast.AST) -> None:
    """Note each name ``node`` binds or deletes, whatever it binds it to."""
    if isinstance(node, ast.Name):
        table = scope.deletes if isinstance(node.ctx, ast.Del) else scope.stores
        if not isinstance(node.ctx, ast.Load):
            table.setdefault(node.id, []).append(node)
        return
    for name in _names_bound_by(node):
        scope.stores.setdefault(name, []).append(node)


def _names_bound_by(node: ast.AST) -> list[str]:
    """The names a statement-like node binds, other than a Name it holds."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.ExceptHandler, *_CAPTURES)):
        name: str | None = getattr(node, "name", None)
        return [name] if name else []
    if isinstance(node, _MAPPING_REST):
        rest: str | None = getattr(node, "rest", None)
        return [rest] if rest else []
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name.split(".")[0]) for a in node.names if a.name != "*"]
    return []


def _all_arguments(args: ast.arguments) -> list[ast.arg]:
    every = args.posonlyargs + args.args + args.kwonlyargs
    return every + [a for a in (args.vararg, args.kwarg) if a is not None]


def _parameters(node: ScopeNode) -> set[str]:
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return set()
    return {arg.arg for arg in _all_arguments(node.args)}


def _is_plain_method_decorator(decorator: ast.expr) -> bool:
    """`@staticmethod`/`@classmethod` leave what a call returns alone."""
    return isinstance(decorator, ast.Name) and decorator.id in ("staticmethod", "classmethod")


def _pairs(target: ast.expr, value: ast.expr) -> list[tuple[str, ast.expr]]:
    """The names an assignment target binds, each with its value where the
    value is written out: `x = v`, `x, n = v, 1`."""
    if isinstance(target, ast.Name):
        return [(target.id, value)]
    if (isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List))
            and len(target.elts) == len(value.elts)
            and not any(isinstance(t, ast.Starred) for t in target.elts)):
        return [(t.id, v) for t, v in zip(target.elts, value.elts) if isinstance(t, ast.Name)]
    return []


def _maybe_values(value: ast.expr) -> list[ast.expr]:
    """The values an expression may evaluate to: `a or b`, `a if c else b`."""
    found: list[ast.expr] = []
    todo = [value]  # a stack, not recursion: `a if b else c if d else ...` nests deep
    while todo:
        node = todo.pop()
        if isinstance(node, ast.BoolOp):
            todo += reversed(node.values)
        elif isinstance(node, ast.IfExp):
            todo += [node.orelse, node.body]
        else:
            found.append(node)
    return found


def _unwrap_closing(expr: ast.expr) -> ast.expr:
    """`closing(x)` -> x, so that `with closing(ctor()) as s` binds a session."""
    if is_closing_call(expr):
        assert isinstance(expr, ast.Call)
        return expr.args[0]
    return expr


def callee_name(call: ast.Call) -> str:
    """The last part of a callee: `contextlib.closing` -> "closing"."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def is_closing_call(expr: ast.expr) -> bool:
    return (
        isinstance(expr, ast.Call)
        and callee_name(expr) in ("closing", "aclosing")
        and len(expr.args) == 1
    )


def uses_name(root: ast.AST, name: str) -> bool:
    """Does anything under ``root`` bind or read ``name`` (a name, a
    parameter, a def or class, an import)?"""
    return any(
        (isinstance(node, ast.Name) and node.id == name)
        or (isinstance(node, ast.arg) and node.arg == name)
        or (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.name == name)
        or (isinstance(node, ast.alias) and (node.asname or node.name).split(".")[0] == name)
        for node in ast.walk(root)
    )


def free_name(scope: ast.AST, base: str, *others: str) -> str:
    """The first of ``base``, ``others``, then `<base>_1`... that nothing in
    the scope (nested scopes included) uses, so binding it there shadows
    nothing the scope reads."""
    candidates = [base, *others] + [f"{base}_{n}" for n in range(1, 100)]
    return next(name for name in candidates if not uses_name(scope, name))
