"""CCL006: a class keeps a session on `self` and never closes it."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Iterator

from flake8_connclose.findings import Finding
from flake8_connclose.names import ClassInfo, FunctionNode, callee_name, is_closing_call
from flake8_connclose.resources import ENTER_METHODS, EXIT_METHODS, closes_on_every_path
from flake8_connclose.rules.base import Context, Rule, api

RULE = Rule(
    code="CCL006",
    name="class-never-closes-session",
    summary="A class stores a session on `self` but nothing ever closes it.",
    message="`{cls}` stores a `{api}()` session on `self.{attr}` but never closes it; "
            "add a `close()` (or `__exit__`) that calls `self.{attr}.close()`",
    fix="none",
    fix_safety="There is no automatic fix: where to close is a design decision.",
    what_it_does="""
Checks for a class that assigns a newly constructed session to an attribute
of `self` (directly, as a fallback `session or requests.Session()`, through
a local it built first, or from a method of its own that builds and returns
one) when the class's own cleanup never closes that attribute.

What counts as the class's cleanup:

- a cleanup method: `close`, `aclose`, `__exit__`, `__aexit__`, `__del__`
  or a clearly named shutdown method (`shutdown`, `stop`, `cleanup`,
  `tearDown`, `disconnect`, `logout`, `close_session`...) that closes the
  attribute (`self.attr.close()`, `await self.attr.aclose()`), itself or
  through a method of the class it calls on `self`;
- any method that closes the attribute on every path (`with self.attr:`,
  `contextlib.closing(self.attr)`, `stack.enter_context(self.attr)`, or a
  close in a `finally:`), or hands its close on as a callback
  (`atexit.register(self.attr.close)`).

What does not count: an `__exit__` (or `close`) that does nothing or closes
other things; a close of the attribute just before it is given a new
session (that closes the stale one); a happy-path close inside an ordinary
method; a close done by code outside the class (`bot.session.close()` in a
command-line entry point). The class, its bases and its subclasses of the
same module share one `self`. Each attribute is reported once, at its first
creation. Every row's sessions count, closed by their own
library's method (`clear()` for a urllib3 manager); an un-awaited
`websockets.connect(url)` stored for later opens nothing and is not one.
""",
    why_is_this_bad="""
Every instance opens a connection pool that no code path can close. API
client classes created per request, per test or per task leak one pool each,
and aiohttp warns "Unclosed client session" for every one.
""",
    example="""
import requests

class GitHub:
    def __init__(self, token):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    def repo(self, name):
        return self.session.get(f"https://api.github.com/repos/{name}").json()
""",
    use_instead="""
import requests

class GitHub:
    def __init__(self, token):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    def repo(self, name):
        return self.session.get(f"https://api.github.com/repos/{name}").json()

    def close(self):
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
""",
    known_problems="""
A cleanup method that does what cannot be followed (`super().close()`,
`cleanup(self)`, a close of a loop variable or of `getattr(self, name)`, a
`self.` method defined in an imported base) is trusted to close every
session of the class. A base class imported from elsewhere is not looked into.
""",
    references=(
        "[requests: Session objects](https://requests.readthedocs.io/en/latest/user/advanced/#session-objects)",
    ),
    valid=(
        """
import httpx

class Api:
    def __init__(self):
        self.client = httpx.Client()

    def close(self):
        self.client.close()
""",
        """
import requests

class Api:
    def __init__(self, session):
        self.session = session
""",
    ),
)

_LIFECYCLE = frozenset({"close", "aclose", "__exit__", "__aexit__", "__del__"})
# Words that name a shutdown method (`shutdown`, `tearDown`, `on_cleanup`, `logout`...).
_SHUTDOWN_WORDS = frozenset({
    "close", "aclose", "closeall", "shutdown", "stop", "cleanup", "teardown", "disconnect",
    "logout", "quit", "exit", "aexit", "del", "terminate", "dispose", "destroy", "release",
    "finalize", "finalise", "finish", "end", "kill", "deinit", "unload", "dispose",
})
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def is_cleanup_name(name: str) -> bool:
    """A method its users call to end an object: `close`, `__aexit__`,
    `shutdown`, `tearDown`, `close_session`, `on_cleanup`, `log_out`..."""
    words = [word.lower() for word in _WORD.findall(name)]
    joined = words + [a + b for a, b in zip(words, words[1:])]
    return any(word in _SHUTDOWN_WORDS for word in joined)


@dataclass
class _Family:
    """A class with its bases and subclasses of the same module: one `self`."""

    classes: set[ast.ClassDef]
    methods: dict[str, list[FunctionNode]]
    # attribute -> every constructor call the family assigns to it
    created: dict[str, list[ast.Call]]


def check(ctx: Context) -> Iterator[Finding]:
    infos = {info.node: info for info, _scope in ctx.analysis.classes}
    # Not `websockets.connect(u)` stored un-awaited: it opens nothing until awaited.
    opened = {id(site.call) for site in ctx.analysis.calls if site.session}
    for info, _scope in ctx.analysis.classes:
        if not info.owned:
            continue
        family = _family_of(ctx, info.node, infos)
        cleaned = _cleaned_attributes(ctx, family)
        for attr, calls in info.owned.items():
            first = min(family.created[attr], key=_position)
            if attr not in cleaned and first in calls and id(first) in opened:
                yield RULE.finding(first, ctx.columns, cls=info.node.name, api=api(first),
                                   attr=attr)


def _position(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset  # type: ignore[attr-defined]


def _family_of(ctx: Context, cls: ast.ClassDef, infos: dict[ast.ClassDef, ClassInfo]) -> _Family:
    classes = _family(ctx.analysis.tree, cls)
    methods: dict[str, list[FunctionNode]] = {}
    created: dict[str, list[ast.Call]] = {}
    for node in classes:
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods.setdefault(stmt.name, []).append(stmt)
        info = infos.get(node)
        for attr, calls in (info.owned.items() if info is not None else ()):
            created.setdefault(attr, []).extend(calls)
    return _Family(classes, methods, created)


def _cleaned_attributes(ctx: Context, family: _Family) -> set[str]:
    """The attributes the family's own cleanup closes: a cleanup method (or
    a method it calls on `self`) closes it, or some method closes it on every
    path (`finally:`, `with self.attr:`) or registers its close as a callback.
    A close just before the attribute gets a new session closes a stale one;
    every attribute counts as closed by a cleanup method that does what
    cannot be followed (`super().close()`, closing a loop variable...)."""
    cleaned: set[str] = set()
    reachable = _reachable_from_cleanup(family)
    for name, functions in family.methods.items():
        for function in functions:
            in_cleanup = name in reachable
            if in_cleanup and _is_opaque(ctx, function, family):
                return set(family.created)
            for attr, how, node in _closes(ctx, function):
                if _is_stale(ctx, function, attr, node, family):
                    continue
                if in_cleanup or how != "call" or closes_on_every_path(
                        ctx.analysis, node):  # type: ignore[arg-type]
                    cleaned.add(attr)
    return cleaned


def _reachable_from_cleanup(family: _Family) -> set[str]:
    """Cleanup methods, and the family's methods they call on `self`."""
    todo = [name for name in family.methods if is_cleanup_name(name)]
    seen = set(todo)
    while todo:
        for function in family.methods[todo.pop()]:
            for called in _self_calls(function):
                if called in family.methods and called not in seen:
                    seen.add(called)
                    todo.append(called)
    return seen


def _self_name(function: FunctionNode) -> str | None:
    positional = function.args.posonlyargs + function.args.args
    return positional[0].arg if positional else None


def _own_walk(function: FunctionNode) -> Iterator[ast.AST]:
    """The method's nodes, nested functions included, nested classes not."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.ClassDef):
            stack.extend(ast.iter_child_nodes(node))


def _self_calls(function: FunctionNode) -> set[str]:
    me = _self_name(function)
    return {
        node.func.attr for node in _own_walk(function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name) and node.func.value.id == me
    }


def _closes(ctx: Context, function: FunctionNode) -> Iterator[tuple[str, str, ast.AST]]:
    """(attribute, how, node) for each close of `self.<attribute>`: how is
    "call" (`self.x.close()`, node the call), "callback" (`self.x.close`
    handed on) or "with" (`with self.x`, `closing(self.x)`, `enter_context`)."""
    me = _self_name(function)
    for node in _own_walk(function):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id == me and _is_closed(ctx, node)):
            continue
        parent = ctx.analysis.parent(node)
        if isinstance(parent, ast.Attribute):
            call = ctx.analysis.parent(parent)
            if isinstance(call, ast.Call) and call.func is parent:
                yield node.attr, "call", call
            else:
                yield node.attr, "callback", parent
        else:
            yield node.attr, "with", node


def _is_stale(ctx: Context, function: FunctionNode, attr: str, close: ast.AST,
              family: _Family) -> bool:
    """Is the attribute given a new session after this close, in the same method?"""
    inside = {id(node) for node in _own_walk(function)}
    return any(id(call) in inside and _position(call) > _position(close)
               for call in family.created.get(attr, ()))


def _is_opaque(ctx: Context, function: FunctionNode, family: _Family) -> bool:
    """Does a cleanup method do what cannot be followed: `super().close()`,
    `cleanup(self)`, a close of something not `self.<attr>` (a loop
    variable, `getattr(self, name)`), or a `self.` method defined elsewhere?"""
    me = _self_name(function)
    close_methods = ctx.analysis.registry.close_methods | EXIT_METHODS
    for node in _own_walk(function):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "super":
            return True
        if any(isinstance(arg, ast.Name) and arg.id == me for arg in node.args):
            return True
        if not isinstance(func, ast.Attribute):
            continue
        receiver = func.value
        if isinstance(receiver, ast.Name) and receiver.id == me:
            if func.attr not in family.methods and is_cleanup_name(func.attr):
                return True
        elif func.attr in close_methods and not (
                isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name)
                and receiver.value.id == me):
            return True
    return False


def _family(tree: ast.Module, cls: ast.ClassDef) -> set[ast.ClassDef]:
    """The class and the module's classes it inherits from or that inherit
    from it: a `close()` in a base (or in the subclass that is the one really
    used) closes the same `self`."""
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    by_name = {node.name: node for node in classes}

    def bases(node: ast.ClassDef) -> set[ast.ClassDef]:
        return {by_name[b.id] for b in node.bases if isinstance(b, ast.Name) and b.id in by_name}

    family = {cls}
    for related in (bases, lambda node: {c for c in classes if node in bases(c)}):
        todo = [cls]
        while todo:
            for other in related(todo.pop()) - family:
                family.add(other)
                todo.append(other)
    return family


def _is_closed(ctx: Context, attribute: ast.Attribute) -> bool:
    parent = ctx.analysis.parent(attribute)
    if isinstance(parent, ast.Attribute):
        return parent.attr in ctx.analysis.registry.close_methods | EXIT_METHODS
    if isinstance(parent, ast.withitem):
        return True
    return isinstance(parent, ast.Call) and attribute is not parent.func and (
        is_closing_call(parent) or callee_name(parent) in ENTER_METHODS
    )
