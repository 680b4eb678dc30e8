"""One walk over a module: every tracked call, with its scope and loop context.

The rules never walk the tree themselves; they read the ``Analysis``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import partial
from typing import Iterator, Sequence, Tuple

from flake8_connclose.libraries import Library, Registry
from flake8_connclose.names import (
    ClassInfo,
    Partial,
    Resolver,
    Scope,
    ScopeNode,
    child_nodes,
    walk,
)
from flake8_connclose.relevance import Relevance

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
# The nodes the walker treats specially (`ast.parse` makes no subclasses, so
# the exact type decides); every other node is a plain walk into its children.
_SPECIAL_TYPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                            ast.For, ast.AsyncFor, ast.While, *_COMPREHENSIONS})
# Nodes with nothing below them and no call to note: the commonest two.
_LEAF_TYPES = frozenset({ast.Name, ast.Constant})
# Methods that call a function once per element (executors, pools, itertools).
_MAPS = frozenset({"map", "imap", "imap_unordered", "starmap", "map_async", "starmap_async"})


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
    # Calls the functional API per element without naming a call of it:
    # `map(requests.get, urls)`, `pool.map(...)`, a `partial` of it called.
    indirect: bool = False
    via: ast.expr | None = None  # the reference to the API, when passed to a map


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
    # Per scope node, the names read under it (nested scopes included), in
    # `ast.walk` order statement by statement: built on first ask.
    reads: dict[ast.AST, dict[str, list[ast.Name]]] = field(default_factory=dict)

    def reads_of(self, scope_node: ast.AST, body: Sequence[ast.AST], name: str) -> list[ast.Name]:
        index = self.reads.get(scope_node)
        if index is None:
            index = self.reads[scope_node] = {}
            for stmt in body:
                for node in walk(stmt):
                    if isinstance(node, ast.Name) and type(node.ctx) is ast.Load:
                        index.setdefault(node.id, []).append(node)
        return index.get(name, [])

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


def analyse(tree: ast.Module, registry: Registry,
            lines: Sequence[str] | None = None) -> Analysis:
    """The module's analysis. Given its ``lines``, the statements that spell
    nothing tracked (top-level ones, methods of a class that keeps no
    session: ``relevance``) are passed over: a check's findings are the
    same, but not every scope is in the analysis, which a fix needs; so a
    fix gives no lines."""
    resolver = Resolver(registry)
    relevance = None if lines is None else partial(
        Relevance, tree, registry=registry, lines=lines)
    module_scope = resolver.module_scope(tree, relevance)
    analysis = Analysis(tree, resolver, module_scope)
    _Walker(analysis).walk_children(tree, module_scope, in_loop=False)
    return analysis


# A node still to visit, with its scope and whether it runs per iteration.
_Task = Tuple[ast.AST, Scope, bool]


class _Walker:
    """Visits every node once, knowing its scope and whether it runs per iteration."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.resolver = analysis.resolver
        self.parents = analysis.parents
        self.children_of = analysis.resolver.children_of

    def walk_children(self, node: ast.AST, scope: Scope, in_loop: bool) -> None:
        """Walk everything below ``node``, depth first in source order. An
        explicit stack, not recursion: valid code nests deeper than Python's
        recursion limit (`a + a + ... + a` with hundreds of terms)."""
        stack: list[_Task] = []
        passed_over = self.resolver.passed_over
        self._push(stack, node, [child for child in child_nodes(node) if child not in passed_over],
                   scope, in_loop)
        parents, children_of = self.parents, self.children_of
        while stack:
            below, where, looped = stack.pop()
            kind = type(below)
            if kind in _SPECIAL_TYPES:
                self._visit_special(stack, below, where, looped)
                continue
            # The common case, inline: this is the walk's inner loop.
            if kind is ast.Call:
                self._note_call(below, where, looped)  # type: ignore[arg-type]
            elif kind is ast.Assign:
                self._note_attribute_stores(below, where)  # type: ignore[arg-type]
            children = children_of.pop(below, None)
            for child in reversed(child_nodes(below) if children is None else children):
                parents[child] = below
                if type(child) not in _LEAF_TYPES:
                    stack.append((child, where, looped))

    def _push(self, stack: list[_Task], parent: ast.AST, children: Sequence[ast.AST],
              scope: Scope, in_loop: bool) -> None:
        """Queue ``children`` of ``parent`` so that the first is popped first."""
        parents = self.parents
        for child in reversed(children):
            parents[child] = parent
            if type(child) not in _LEAF_TYPES:
                stack.append((child, scope, in_loop))

    def _visit_special(self, stack: list[_Task], node: ast.AST, scope: Scope,
                       in_loop: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            self._visit_scope(stack, node, scope, in_loop)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            # Pushed last first: target, iterable (evaluated once), body, else.
            self._push(stack, node, node.orelse, scope, in_loop)
            self._push(stack, node, node.body, scope, True)
            self._push(stack, node, [node.target, node.iter], scope, in_loop)
        elif isinstance(node, ast.While):
            self._push(stack, node, node.orelse, scope, in_loop)
            self._push(stack, node, [node.test, *node.body], scope, True)
        elif isinstance(node, _COMPREHENSIONS):
            self._visit_comprehension(stack, node, scope, in_loop)

    def _visit_scope(self, stack: list[_Task], node: ScopeNode, scope: Scope,
                     in_loop: bool) -> None:
        # Decorators, defaults, annotations and bases run in the enclosing scope.
        inner_nodes: list[ast.AST] = (
            [node.body] if isinstance(node, ast.Lambda) else list(node.body))
        inner_ids = {id(inner) for inner in inner_nodes}
        outer_nodes = [child for child in child_nodes(node) if id(child) not in inner_ids]
        if isinstance(node, ast.ClassDef):
            info = self.resolver.class_info(node, scope)
            inner = self.resolver.scope_for(node, scope)
            self.analysis.classes.append((info, inner))
            passed_over = self.resolver.passed_over
            inner_nodes = [method for method in inner_nodes if method not in passed_over]
        else:
            inner = self.resolver.scope_for(node, scope)
        self._push(stack, node, inner_nodes, inner, False)
        self._push(stack, node, outer_nodes, scope, in_loop)

    def _visit_comprehension(self, stack: list[_Task], node: ast.ListComp | ast.SetComp
                             | ast.GeneratorExp | ast.DictComp, scope: Scope,
                             in_loop: bool) -> None:
        first, *rest = node.generators
        self.parents[first] = node
        elements: list[ast.AST] = (
            [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt])
        self._push(stack, node, [*rest, *elements], scope, True)
        self._push(stack, first, [first.target, *first.ifs], scope, True)
        self._push(stack, first, [first.iter], scope, in_loop)  # the first iterable runs once

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
        indirect = self._indirect(call, scope, in_loop)
        if indirect is not None:
            return indirect
        if isinstance(call.func, ast.Attribute):
            method = call.func.attr
            is_async = self.resolver.receiver_is_async(call.func.value, scope)
            known = is_async is not None
            for held in self.resolver.receiver_libraries(call.func.value, scope):
                if method in held.session_context_only:
                    return CallSite(call, held, scope, in_loop, is_async=bool(is_async),
                                    async_known=known, stream=True, context_only=True)
                if method in held.session_stream_methods and held.streams(call):
                    return CallSite(call, held, scope, in_loop, is_async=bool(is_async),
                                    async_known=known, stream=True)
                if method in held.released_responses and type(self.parents.get(call)) is ast.Await:
                    # `resp = await session.get(u)`, outside `async with`.
                    return CallSite(call, held, scope, in_loop, is_async=True, stream=True,
                                    member=method)
        return None

    def _indirect(self, call: ast.Call, scope: Scope, in_loop: bool) -> CallSite | None:
        """`map(requests.get, urls)`, `executor.map(...)`: the API called per
        element; `fetch(u)` where `fetch = partial(requests.get, ...)`."""
        func = call.func
        resolver = self.resolver
        if isinstance(func, ast.Name) and isinstance(scope.lookup(func.id), Partial):
            qualname = resolver.functional_reference(func, scope)
            via = None
        elif call.args and (
                (isinstance(func, ast.Name) and func.id == "map" and scope.lookup("map") is None)
                or (isinstance(func, ast.Attribute) and func.attr in _MAPS)):
            qualname = resolver.functional_reference(call.args[0], scope)
            via, in_loop = call.args[0], True
        else:
            return None
        member = self.analysis.registry.lookup(qualname) if qualname else None
        if member is None:
            return None
        return CallSite(call, member.library, scope, in_loop, indirect=True, via=via,
                        member=member.name)
