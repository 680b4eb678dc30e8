"""CCL006: a class keeps a session on `self` and never closes it."""

from __future__ import annotations

import ast
from typing import Iterator

from flake8_connclose.findings import Finding
from flake8_connclose.names import callee_name, is_closing_call
from flake8_connclose.resources import ENTER_METHODS, EXIT_METHODS
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
of `self` when no method of the class closes that attribute (`.close()`,
`.aclose()`, `with self.attr`, `contextlib.closing(self.attr)`,
`stack.enter_context(self.attr)`, or registering `self.attr.close` as a
callback) and the class defines none of `close`, `aclose`, `__exit__`,
`__aexit__` or `__del__`.
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
A class that defines `close`, `aclose`, `__exit__`, `__aexit__` or `__del__`
is trusted to close its sessions, even through a helper; so is one whose base
class or subclass in the same module does. A base class imported from
elsewhere is not looked into.
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


def check(ctx: Context) -> Iterator[Finding]:
    for info, _scope in ctx.analysis.classes:
        if not info.owned:
            continue
        family = _family(ctx.analysis.tree, info.node)
        if any(_defines_lifecycle(node) for node in family):
            continue
        closed = _closed_attributes(ctx, family)
        for attr, calls in info.owned.items():
            if attr not in closed:
                yield RULE.finding(calls[0], ctx.columns, cls=info.node.name,
                                   api=api(calls[0]), attr=attr)


def _defines_lifecycle(node: ast.ClassDef) -> bool:
    return any(
        isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in _LIFECYCLE
        for stmt in node.body
    )


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


def _closed_attributes(ctx: Context, family: set[ast.ClassDef]) -> set[str]:
    """Attributes `x` closed as `<obj>.x` by the class's family or by code
    outside every class (`api.session.close()`); other classes' closes are
    their own."""
    closed = set()
    # (node, whether its closes count): a class nested in a foreign class is
    # still looked into, so a nested class's own close is seen.
    stack: list[tuple[ast.AST, bool]] = [(ctx.analysis.tree, True)]
    while stack:
        node, counts = stack.pop()
        if isinstance(node, ast.ClassDef):
            counts = node in family
        elif counts and isinstance(node, ast.Attribute) and _is_closed(ctx, node):
            closed.add(node.attr)
        stack.extend((child, counts) for child in ast.iter_child_nodes(node))
    return closed


def _is_closed(ctx: Context, attribute: ast.Attribute) -> bool:
    parent = ctx.analysis.parent(attribute)
    if isinstance(parent, ast.Attribute):
        return parent.attr in ctx.analysis.registry.close_methods | EXIT_METHODS
    if isinstance(parent, ast.withitem):
        return True
    return isinstance(parent, ast.Call) and attribute is not parent.func and (
        is_closing_call(parent) or callee_name(parent) in ENTER_METHODS
    )
