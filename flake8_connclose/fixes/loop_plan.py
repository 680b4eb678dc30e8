"""CCL003 (unsafe): plan one shared session around a loop, in pure ``ast``.

Unsafe because a shared session keeps cookies and connection state from one
iteration to the next. Only calls of the loop's own scope are routed, so no
call is ever moved into a nested function (an executor or thread callable).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.fixes.plan import NotFixable, block_of, shares_lines
from flake8_connclose.libraries import LIBRARIES, Library

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
# Arguments of httpx's functional API that a Client method does not take.
_CLIENT_LEVEL = frozenset({"verify", "proxy", "proxies", "trust_env", "cert", "mounts",
                           "transport", "http1", "http2"})
# How many positional arguments each requests Session method takes
# (`requests.get(url, params)` has two, `Session.get(url)` one).
_REQUESTS_POSITIONAL = {"get": 1, "head": 1, "options": 1, "delete": 1, "put": 2,
                        "patch": 2, "post": 3, "request": 2}
_HTTPX_POSITIONAL = 2  # `request(method, url)`, `stream(method, url)`; verbs take 1


@dataclass(frozen=True)
class RoutedCall:
    """A functional call whose callee becomes `<session>.<member>`; byte columns."""

    line: int
    col: int
    end_line: int
    end_col: int
    member: str


@dataclass(frozen=True)
class LoopPlan:
    """`with <ctor>() as <name>:` around the statement at (line, col)."""

    line: int
    col: int
    name: str
    ctor: str  # as it will be written: "requests.Session"
    import_module: str  # "" when the module is already bound to its name
    calls: tuple[RoutedCall, ...]


def plan_loop(analysis: Analysis, site: CallSite) -> LoopPlan | NotFixable:
    if isinstance(site.scope.node, ast.ClassDef):
        # A name bound in a class body becomes a class attribute.
        return NotFixable("the loop is in a class body")
    lib = site.library
    ctor = _sync_session(lib)
    if ctor is None:
        return NotFixable(f"`{lib.module}` has no synchronous session to share")
    stmt = _statement_to_wrap(analysis, site)
    block = block_of(analysis, stmt)
    if block is None or shares_lines(block):
        return NotFixable("the loop shares a line with another statement")
    sites = _sites_in(analysis, site, stmt)
    refusal = _refusal(lib, sites)
    if refusal:
        return NotFixable(refusal)
    spelling = _module_spelling(analysis, site, sites)
    if spelling is None:
        return NotFixable(f"the name `{lib.module}` is taken by something else")
    module, needs_import = spelling
    name = _free_name(site.scope.node, "client" if ctor == "Client" else "session")
    calls = tuple(_routed(s) for s in sites)
    return LoopPlan(stmt.lineno, stmt.col_offset, name, f"{module}.{ctor}",
                    lib.module if needs_import else "", calls)


def _sync_session(lib: Library) -> str | None:
    if lib not in LIBRARIES:
        return None
    return next((name for name, is_async in lib.sessions.items()
                 if not is_async and name[0].isupper()), None)


def _statement_to_wrap(analysis: Analysis, site: CallSite) -> ast.stmt:
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
    found = outermost or nearest
    assert found is not None
    return found


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
        if lib.stream_keyword:
            if len(call.args) > _REQUESTS_POSITIONAL.get(s.member, 0):
                return f"`{s.member}()` gets more positional arguments than the session's"
        else:
            limit = _HTTPX_POSITIONAL if s.member in ("request", "stream") else 1
            if len(call.args) > limit:
                return f"`{s.member}()` gets more positional arguments than the client's"
            passed = sorted(_CLIENT_LEVEL & {kw.arg for kw in call.keywords if kw.arg})
            if passed:
                return f"a call passes the client-level argument `{passed[0]}`"
    return ""


def _module_spelling(analysis: Analysis, site: CallSite,
                     sites: list[CallSite]) -> tuple[str, bool] | None:
    """How to write the module: as a call spells it, else its plain name,
    importing it when that name is free."""
    module = site.library.module
    resolver = analysis.resolver
    for s in sites:
        func = s.call.func
        if isinstance(func, ast.Attribute) and resolver.qualname(func.value, s.scope) == module:
            return ast.unparse(func.value), False
    if resolver.qualname(ast.Name(module), site.scope) == module:
        return module, False
    if site.scope.lookup(module) is None and not _name_used(analysis.tree, module):
        return module, True
    return None


def _name_used(root: ast.AST, name: str) -> bool:
    return any(
        (isinstance(node, ast.Name) and node.id == name)
        or (isinstance(node, ast.arg) and node.arg == name)
        or (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.name == name)
        or (isinstance(node, ast.alias) and (node.asname or node.name).split(".")[0] == name)
        for node in ast.walk(root)
    )


def _free_name(scope: ast.AST, base: str) -> str:
    """A name nothing in the scope (nested scopes included) uses, so binding
    it there shadows nothing the scope reads."""
    candidates = [base, f"http_{base}"] + [f"{base}_{n}" for n in range(1, 100)]
    return next(name for name in candidates if not _name_used(scope, name))


def _routed(site: CallSite) -> RoutedCall:
    call = site.call
    assert call.end_lineno is not None and call.end_col_offset is not None
    return RoutedCall(call.lineno, call.col_offset, call.end_lineno, call.end_col_offset,
                      site.member)
