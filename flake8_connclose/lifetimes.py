"""How long a resource lives: everything derived from it, and where it goes.

A fix may close a session or stream only after the last moment anything
derived from it can be used, on every path. Derived: its aliases (through
`a if c else b`, `a or b`, walrus, annotated, chained and tuple assignment),
what the library ties to it (an httpx or aiohttp client's open responses;
a requests streamed response has its own connection), iterators and raw
streams of a response, bound methods, generator expressions, `map` and
`partial` objects, containers and comprehensions holding any of these,
coroutines, and what an unknown call makes of them. A value that leaves the
function (returned, yielded, raised, stored outside it, handed to a task,
thread or executor, read by a nested function) may be used after any block
the fix writes: the fix is refused, naming the value and its line.

The model is over-cautious on purpose: a value it cannot tell apart from
the resource counts as derived, which can only make the `with` longer or
the fix refused, never a program that behaves differently.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.names import callee_name
from flake8_connclose.resources import EXIT_METHODS, owner, uses

# Calls that hand their arguments to something that runs later, on its own:
# the resource would be closed under it.
_TASKS = frozenset({
    "create_task", "ensure_future", "run_coroutine_threadsafe", "submit", "run_in_executor",
    "Thread", "Timer", "Process", "start_new_thread", "call_soon", "call_soon_threadsafe",
    "call_later", "call_at", "apply_async", "add_done_callback", "start_soon",
})
# Calls whose result holds nothing of their arguments (they read them now).
_CONSUMERS = frozenset({
    "list", "tuple", "set", "frozenset", "dict", "sorted", "sum", "len", "any", "all",
    "min", "max", "bytes", "bytearray", "str", "repr", "int", "float", "bool", "print",
    "isinstance", "hasattr", "callable", "id", "hash", "format", "join", "write",
    "writelines", "dumps", "loads", "copyfileobj",
})
# Calls that keep their argument in the object they are called on.
_STORING = frozenset({
    "append", "appendleft", "extend", "insert", "add", "put", "put_nowait",
    "setdefault", "update", "push",
})
# Methods of any derived value whose result is plain data (or nothing).
_DATA_METHODS = frozenset({
    "join", "result", "exception", "done", "cancel", "cancelled", "read", "readline",
    "readlines", "decode", "getvalue", "close", "aclose", "release",
})
_OPERATORS = (ast.Compare, ast.BinOp, ast.UnaryOp, ast.JoinedStr, ast.FormattedValue)
_DISPLAYS = (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Starred)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True)
class Escape:
    """A derived value that may be used after any block the fix writes."""

    line: int
    reason: str  # "the bound method `g` is returned"


@dataclass
class Lifetime:
    """Every read of a local name holding the resource or something derived
    from it (the resource's own name first), and where a value escapes."""

    reads: list[ast.Name] = field(default_factory=list)
    escapes: list[Escape] = field(default_factory=list)


# What a flowing value is: the resource itself (its methods are the library's)
# or a value derived from it.
_ALIAS, _VALUE = "alias", "value"


def lifetime(analysis: Analysis, site: CallSite, name: str) -> Lifetime:
    """Everything that lives on what ``site`` made, bound to ``name``."""
    tracer = _Tracer(analysis, site, name)
    tracer.derive(name, _ALIAS, None)
    while tracer.todo:  # a worklist, not recursion: aliases can chain deep
        tracer.follow_reads(*tracer.todo.pop())
    return tracer.result


class _Tracer:
    def __init__(self, analysis: Analysis, site: CallSite, root: str) -> None:
        self.analysis = analysis
        self.site = site
        self.root = root
        self.scope = site.scope
        self.result = Lifetime()
        self.kinds: dict[str, str] = {}
        self.todo: list[tuple[str, bool]] = []  # names whose reads to follow; first time?

    def derive(self, name: str, kind: str, node: ast.AST | None) -> None:
        """``name`` holds the resource (an alias) or a value made from it."""
        if name in self.kinds and (self.kinds[name] == _ALIAS or kind == _VALUE):
            return
        first = name not in self.kinds
        self.kinds[name] = kind
        if name in self.scope.outer_names:
            self.escape(node, f"`{name}`", "is stored in a global")
        self.todo.append((name, first))

    def follow_reads(self, name: str, first: bool) -> None:
        reads = uses(self.analysis, name, self.scope)
        if first:
            self.result.reads += reads
        for read in reads:  # again for an alias found late: its reads mean more now
            self.follow(read, name)

    def escape(self, node: ast.AST | None, value: str, how: str) -> None:
        line = getattr(node, "lineno", 0)
        made = "" if value == f"`{self.root}`" else f" (made from `{self.root}`)"
        self.result.escapes.append(Escape(line, f"{value}{made} {how}"))

    def follow(self, read: ast.Name, name: str) -> None:
        """Where the value read at ``read`` goes, up its expression."""
        if owner(self.analysis, read, self.scope) is not self.scope.node:
            self.escape(read, f"`{name}`", "is read by a nested function")
            return
        node: ast.AST = read
        kind = self.kinds[name]
        lazy = _lazy_part_of(self.analysis, read)
        if lazy is not None:  # read when the generator runs: the generator carries it
            node, kind = lazy, _VALUE
        while True:
            step = self._step(node, self.analysis.parent(node), kind)
            if step is None:
                return
            node, kind = step

    def _step(self, node: ast.AST, parent: ast.AST | None,
              kind: str) -> tuple[ast.AST, str] | None:
        """The expression the value flows into and what it carries there, or
        None where the flow ends (used up, bound, or escaped: noted)."""
        if isinstance(parent, ast.Attribute):
            return self._attribute(parent, kind)
        if isinstance(parent, ast.Call):
            return self._call(node, parent)
        if isinstance(parent, (ast.keyword, ast.Starred, ast.BoolOp)):
            return parent, kind
        if isinstance(parent, ast.Await):
            return parent, _VALUE
        if isinstance(parent, ast.IfExp):
            return None if node is parent.test else (parent, kind)
        if isinstance(parent, ast.NamedExpr):
            self._bind(parent.target, kind, node)
            return parent, kind
        if isinstance(parent, _DISPLAYS):
            return parent, _VALUE
        if isinstance(parent, ast.Subscript):
            if node is not parent.value or not isinstance(parent.ctx, ast.Load):
                return None
            return parent, _VALUE
        if isinstance(parent, ast.comprehension):
            comp = self.analysis.parent(parent)
            lazy = isinstance(comp, ast.GeneratorExp)
            return (comp, _VALUE) if comp is not None and (node is parent.iter or lazy) else None
        if isinstance(parent, _COMPREHENSIONS):
            return parent, _VALUE
        if isinstance(parent, _OPERATORS) or parent is None:
            return None
        self._statement(node, parent, kind)
        return None

    def _attribute(self, attribute: ast.Attribute, kind: str) -> tuple[ast.AST, str] | None:
        if not isinstance(attribute.ctx, ast.Load):
            return None  # `s.headers = ...`: the object is changed, not copied
        call = self.analysis.parent(attribute)
        if isinstance(call, ast.Call) and call.func is attribute:
            made = self._method_result(call, attribute.attr, kind)
            return (call, made) if made is not None else None
        # The library's own data: requests' `r.content` is bytes, aiohttp's
        # a stream still reading from the connection.
        if attribute.attr in self.site.library.response_data:
            return None
        return attribute, _VALUE  # a bound method, `r.raw`, a sub-object

    def _method_result(self, call: ast.Call, method: str, kind: str) -> str | None:
        """What calling ``method`` on the value gives: still derived, or None."""
        lib = self.site.library
        closes = lib.closes(self.site.session) | EXIT_METHODS
        if method in closes:
            return None
        if kind == _ALIAS and self.site.session:
            return self._request_result(call)
        if kind == _ALIAS and method in lib.stream_attributes:
            return _VALUE
        if method in lib.response_data or method in _DATA_METHODS:
            return None
        return _VALUE

    def _request_result(self, call: ast.Call) -> str | None:
        """A session method's result: a coroutine of an async session until
        awaited, an open response where the library ties it to the session."""
        lib = self.site.library
        awaited = isinstance(self.analysis.parent(call), ast.Await)
        stream = any(s.call is call and s.stream for s in self.analysis.calls)
        if lib.results_hold_connection or (stream and not lib.responses_outlive_session):
            return _VALUE
        if self.site.is_async:
            return _VALUE if not awaited or lib.awaited_responses_stream else None
        return None

    def _call(self, node: ast.AST, call: ast.Call) -> tuple[ast.AST, str] | None:
        if node is call.func:
            return call, _VALUE  # calling a bound method or a partial
        callee = callee_name(call)
        if callee in _TASKS:
            if not isinstance(self.analysis.parent(call), ast.Await):
                self.escape(call, _text(node), f"is handed to `{callee}()`, which may run "
                                               "after the block")
            return None
        if callee in _CONSUMERS:
            return None
        if callee in _STORING and isinstance(call.func, ast.Attribute):
            self._bind(call.func.value, _VALUE, node)
            return None
        return call, _VALUE  # an unknown call may keep what it is given

    def _bind(self, target: ast.AST, kind: str, value: ast.AST) -> None:
        """``value`` is bound to ``target``: a local name derives from it."""
        if isinstance(target, ast.Name):
            self.derive(target.id, kind, target)
        elif isinstance(target, (ast.Tuple, ast.List, ast.Starred)):
            for element in ast.walk(target):
                if isinstance(element, ast.Name):
                    self.derive(element.id, _VALUE, element)
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            self.derive(target.value.id, _VALUE, target)
        else:
            self.escape(target, _text(value), f"is stored on `{_text(target, quote=False)}`")

    def _statement(self, node: ast.AST, stmt: ast.AST, kind: str) -> None:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node is stmt.value:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                self._bind(target, kind, node)
        elif isinstance(stmt, (ast.Return, ast.Yield, ast.YieldFrom)):
            verb = "returned" if isinstance(stmt, ast.Return) else "yielded"
            self.escape(stmt, _text(node), f"is {verb}")
        elif isinstance(stmt, ast.Raise):
            self.escape(stmt, _text(node), "is raised with an exception")
        elif isinstance(stmt, (ast.For, ast.AsyncFor)) and node is stmt.iter:
            self._bind(stmt.target, _VALUE, node)
        elif isinstance(stmt, ast.withitem) and node is stmt.context_expr:
            if stmt.optional_vars is not None:
                self._bind(stmt.optional_vars, kind, node)


def _lazy_part_of(analysis: Analysis, read: ast.AST) -> ast.GeneratorExp | None:
    """The outermost generator expression that evaluates ``read`` only when it
    is iterated (all of it but its first iterable), within the statement."""
    found = None
    child = read
    for parent in analysis.ancestors(read):
        if isinstance(parent, ast.stmt):
            break
        if isinstance(parent, ast.GeneratorExp):
            first = parent.generators[0]
            if not (child is first and _came_through_iter(analysis, read, first)):
                found = parent
        child = parent
    return found


def _came_through_iter(analysis: Analysis, read: ast.AST, generator: ast.comprehension) -> bool:
    """Is ``read`` within ``generator``'s iterable (which runs at once)?"""
    node = read
    for parent in analysis.ancestors(read):
        if parent is generator:
            return node is generator.iter
        node = parent
    return False


def _text(node: ast.AST, quote: bool = True) -> str:
    """An expression as the user wrote it, short enough for a message."""
    text = ast.unparse(node)
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"`{text}`" if quote else text
