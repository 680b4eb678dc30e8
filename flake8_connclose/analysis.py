"""One walk over a module: every tracked call, with its scope and loop context.

The rules never walk the tree themselves; they read the ``Analysis``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterator

from flake8_connclose.libraries import Library, Registry
from flake8_connclose.names import ClassInfo, Resolver, Scope, ScopeNode, child_nodes

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
# The nodes the walker treats specially (`ast.parse` makes no subclasses, so
# the exact type decides); every other node is a plain walk into its children.
_SPECIAL_TYPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                            ast.For, ast.AsyncFor, ast.While, *_COMPREHENSIONS})
# Nodes with nothing below them and no call to note: the commonest two.
_LEAF_TYPES = frozenset({ast.Name, ast.Constant})


@dataclass(frozen=True)
class CallSite:
    """A call to something tracked. A call may be several things at once:
    `requests.get(u, stream=True)` is functional and opens a stream."""

    call: ast.Call
    library: Library
    scope: Scope
    in_loop: bool
    session: bool = False  # builds a session
    is_async: bool = False  # ... an asynchronous one (or is a request of one)
    async_known: bool = True  # False: made on a receiver whose async-ness is unknown
    functional: bool = False  # module-level API: a pool per call
    stream: bool = False  # returns an open streaming response
    context_only: bool = False  # only valid as `with` (`httpx.stream`)
    member: str = ""  # the library's name for the callee: "get", "Session"


@dataclass
class Analysis:
    tree: ast.Module
    resolver: Resolver
    module_scope: Scope
    calls: list[CallSite] = field(default_factory=list)
    classes: list[tuple[ClassInfo, Scope]] = field(default_factory=list)
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)
    # Every `x.attr = ...` (plain assignment), with the scope it runs in.
    attribute_stores: list[tuple[ast.Attribute, Scope]] = field(default_factory=list)

    @property
    def registry(self) -> Registry:
        return self.resolver.registry

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        parent = self.parents.get(node)
        while parent is not None:
            yield parent
            parent = self.parents.get(parent)


def analyse(tree: ast.Module, registry: Registry) -> Analysis:
    resolver = Resolver(registry)
    module_scope = resolver.scope_for(tree, None)
    analysis = Analysis(tree, resolver, module_scope)
    _Walker(analysis).walk_children(tree, module_scope, in_loop=False)
    return analysis


class _Walker:
    """Visits every node once, knowing its scope and whether it runs per iteration."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.resolver = analysis.resolver
        self.parents = analysis.parents

    def walk_children(self, node: ast.AST, scope: Scope, in_loop: bool) -> None:
        for child in child_nodes(node):
            self.parents[child] = node
            if type(child) not in _LEAF_TYPES:
                self.walk(child, scope, in_loop)

    def _child(self, parent: ast.AST, child: ast.AST | None, scope: Scope, in_loop: bool) -> None:
        if child is not None:
            self.parents[child] = parent
            self.walk(child, scope, in_loop)

    def _children(self, parent: ast.AST, children: list, scope: Scope,  # type: ignore[type-arg]
                  in_loop: bool) -> None:
        for child in children:
            self._child(parent, child, scope, in_loop)

    def walk(self, node: ast.AST, scope: Scope, in_loop: bool) -> None:
        if type(node) not in _SPECIAL_TYPES:  # the common case, decided at once
            if type(node) is ast.Call:
                self._note_call(node, scope, in_loop)
            elif type(node) is ast.Assign:
                self._note_attribute_stores(node, scope)
            self.walk_children(node, scope, in_loop)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            self._walk_scope(node, scope, in_loop)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._child(node, node.target, scope, in_loop)
            self._child(node, node.iter, scope, in_loop)  # evaluated once
            self._children(node, node.body, scope, True)
            self._children(node, node.orelse, scope, in_loop)
        elif isinstance(node, ast.While):
            self._child(node, node.test, scope, True)
            self._children(node, node.body, scope, True)
            self._children(node, node.orelse, scope, in_loop)
        elif isinstance(node, _COMPREHENSIONS):
            self._walk_comprehension(node, scope, in_loop)
        else:
            if isinstance(node, ast.Call):
                self._note_call(node, scope, in_loop)
            self.walk_children(node, scope, in_loop)

    def _walk_scope(self, node: ScopeNode, scope: Scope, in_loop: bool) -> None:
        # Decorators, defaults, annotations and bases run in the enclosing scope.
        inner_nodes: list[ast.AST] = []
        if isinstance(node, ast.Lambda):
            inner_nodes = [node.body]
        else:
            inner_nodes = list(node.body)
        inner_ids = {id(inner) for inner in inner_nodes}
        for child in child_nodes(node):
            if id(child) not in inner_ids:
                self._child(node, child, scope, in_loop)
        if isinstance(node, ast.ClassDef):
            info = self.resolver.class_info(node, scope)
            inner = self.resolver.scope_for(node, scope)
            self.analysis.classes.append((info, inner))
        else:
            inner = self.resolver.scope_for(node, scope)
        for child in inner_nodes:
            self._child(node, child, inner, False)

    def _walk_comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp
                            | ast.DictComp, scope: Scope, in_loop: bool) -> None:
        first, *rest = node.generators
        self.parents[first] = node
        self._child(first, first.iter, scope, in_loop)  # the first iterable runs once
        self._child(first, first.target, scope, True)
        self._children(first, first.ifs, scope, True)
        self._children(node, rest, scope, True)
        elements = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        self._children(node, elements, scope, True)

    def _note_call(self, call: ast.Call, scope: Scope, in_loop: bool) -> None:
        site = self._classify(call, scope, in_loop)
        if site is not None:
            self.analysis.calls.append(site)

    def _note_attribute_stores(self, node: ast.Assign, scope: Scope) -> None:
        stores = self.analysis.attribute_stores
        stores += [(t, scope) for t in node.targets if type(t) is ast.Attribute]

    def _awaited_or_entered(self, call: ast.Call) -> bool:
        """`await call` or `async with call`: the parents of a call are known
        when it is noted, since the walk records them on the way down."""
        return isinstance(self.parents.get(call), (ast.Await, ast.withitem))

    def _classify(self, call: ast.Call, scope: Scope, in_loop: bool) -> CallSite | None:
        session = self.resolver.session_constructor(call, scope)
        if session is not None:
            assert session.library is not None
            if session.library.session_needs_await and not self._awaited_or_entered(call):
                return None  # `websockets.connect(u)` alone opens nothing yet
            return CallSite(call, session.library, scope, in_loop, session=True,
                            is_async=session.is_async)
        member = self.resolver.member(call.func, scope)
        if member is not None and member.is_response:
            return CallSite(call, member.library, scope, in_loop, stream=True,
                            member=member.name)
        if member is not None:
            lib = member.library
            stream = lib.functional_streams and lib.streams(call)
            return CallSite(call, lib, scope, in_loop, functional=True,
                            stream=stream or member.is_context_only,
                            context_only=member.is_context_only, member=member.name)
        if isinstance(call.func, ast.Attribute):
            held = self.resolver.receiver(call.func.value, scope)
            if held is None:
                return None
            method = call.func.attr
            is_async = self.resolver.receiver_is_async(call.func.value, scope)
            known = is_async is not None
            if method in held.session_context_only:
                return CallSite(call, held, scope, in_loop, is_async=bool(is_async),
                                async_known=known, stream=True, context_only=True)
            if method in held.session_stream_methods and held.streams(call):
                return CallSite(call, held, scope, in_loop, is_async=bool(is_async),
                                async_known=known, stream=True)
        return None
