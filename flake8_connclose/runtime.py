"""Sees HTTP sessions, clients and streams made and closed while Python runs.

The engine of the runtime companion, shared by its two faces: the pytest
plugin (`pytest_plugin`) and script mode (`trace`). Nothing happens until
`Tracker.install()`; then the classes of `libraries.OBSERVED` are patched as
soon as the program has imported their library (this module never imports
one), and `Tracker.uninstall()` puts every original back.

An object is tracked only while an owner (a test, a fixture, the program) is
current, and judged when that owner ends: still open, or garbage-collected
without having been closed, it is a leak of that owner.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import itertools
import os
import sys
import threading
import weakref
from types import CodeType, FrameType, ModuleType
from typing import Any, Callable, Iterable, NamedTuple, Sequence

from flake8_connclose.libraries import OBSERVED, Observed

Method = Callable[..., Any]
_MISSING = object()


# The records of this module are named tuples and slotted classes, not
# dataclasses: a dataclass costs a millisecond to define, and this module is
# imported at the start of every `pytest --connclose` run.

class Owner:
    """What objects are charged to; compared by identity, so a fixture set up
    twice is two owners."""

    __slots__ = ("name", "kind", "nodeid")

    def __init__(self, name: str, kind: str = "test", nodeid: str = "") -> None:
        self.name = name  # "test_foo", "fixture client"; "" for a program
        self.kind = kind  # "test", "fixture" or "program"
        self.nodeid = nodeid

    def __repr__(self) -> str:
        return f"Owner({self.name!r}, {self.kind!r}, {self.nodeid!r})"


class Site(NamedTuple):
    """Where an object was created: the first frame outside the HTTP
    libraries and outside this package."""

    path: str
    line: int
    function: str


class Leak(NamedTuple):
    observed: Observed
    site: Site
    owner: Owner
    type_name: str
    collected: bool  # garbage-collected unclosed, rather than still open

    def message(self) -> str:
        where = self.owner.name or self.site.function
        fate = ("was garbage-collected without being closed" if self.collected
                else "was never closed")
        return (f"{display_path(self.site.path)}:{self.site.line}: {self.observed.label} "
                f"created in {where} {fate} ({self.observed.code})")

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.observed.code, "path": display_path(self.site.path),
            "line": self.site.line, "function": self.site.function,
            "api": self.observed.label, "type": self.type_name,
            "owner": self.owner.name, "owner_kind": self.owner.kind,
            "nodeid": self.owner.nodeid, "collected": self.collected,
            "message": self.message(),
        }


def display_path(path: str) -> str:
    """A path as flake8 prints it: relative when under the working directory."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive
        return path
    return path if relative.startswith(os.pardir) else relative


class _Record:
    """An object made while an owner was current. What a leak report needs
    (the site, the type's name) is worked out only if it leaks."""

    __slots__ = ("observed", "code", "line", "owner", "type", "serial", "ref", "holder")

    def __init__(self, observed: Observed, where: tuple[CodeType | None, int], owner: Owner,
                 kind: type, serial: int) -> None:
        self.observed = observed
        self.code, self.line = where
        self.owner = owner
        self.type = kind
        self.serial = serial
        self.ref: weakref.ReferenceType[Any] | None = None
        # What `closed_when` starts from (a requests Response's `raw`), kept so
        # that it can still be read once the object itself is gone.
        self.holder: object = None

    def leak(self, collected: bool) -> Leak:
        code = self.code
        site = (Site(code.co_filename, self.line, getattr(code, "co_qualname", code.co_name))
                if code is not None else Site("<unknown>", 0, "<unknown>"))
        kind = f"{self.type.__module__}.{self.type.__qualname__}"
        return Leak(self.observed, site, self.owner, kind, collected)


@functools.lru_cache(maxsize=None)
def _dotted(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def _read(start: object, path: Sequence[str]) -> bool | None:
    """The truth of a dotted attribute, or None when it cannot be read."""
    value = start
    try:
        for name in path:
            value = getattr(value, name)
        return bool(value)
    except Exception:  # a library version or a mock without that attribute
        return None


def _is_closed(obj: object, observed: Observed) -> bool | None:
    return _read(obj, _dotted(observed.closed_when)) if observed.closed_when else None


def _closed_after_gc(record: _Record) -> bool:
    """Did a collected object give its connection back? Only a dotted
    `closed_when` can still be read, from its holder; otherwise no closer
    ran, or the record would be gone."""
    rest = record.observed.closed_when.partition(".")[2]
    return bool(rest) and record.holder is not None \
        and _read(record.holder, _dotted(rest)) is True


class Tracker:
    """The objects of the table made while an owner is current, until judged."""

    def __init__(self, observed: Sequence[Observed] = OBSERVED) -> None:
        self.observed = tuple(observed)
        self.owner: Owner | None = None
        self._open: dict[int, _Record] = {}  # by id() of the live object
        self._gone: list[_Record] = []  # collected without being closed
        self._dead: list[int] = []  # ids whose object died, not yet looked at
        self._lock = threading.Lock()
        self._serial = itertools.count()
        self._patches: list[tuple[type, str, object]] = []
        self._pending = {row.module for row in self.observed}
        self._watch: _ImportWatch | None = None
        # Frames of these modules are never a creation site.
        self._skip = frozenset({row.module.partition(".")[0] for row in self.observed}
                               | {"flake8_connclose", "contextlib"})
        self._skipped: dict[CodeType, bool] = {}  # by the frame's code: is its module skipped?

    # -- patching ---------------------------------------------------------

    def install(self) -> None:
        self.patch_imported()
        self._watch = _ImportWatch(self._pending, self._patch_module)
        sys.meta_path.insert(0, self._watch)

    def uninstall(self) -> None:
        if self._watch is not None and self._watch in sys.meta_path:
            sys.meta_path.remove(self._watch)
        self._watch = None
        for cls, name, original in reversed(self._patches):
            if original is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, original)
        self._patches.clear()
        self._pending = {row.module for row in self.observed}

    def patch_imported(self) -> None:
        """Patch the libraries imported since the last look (a fallback for
        imports the import hook could not follow)."""
        for name in sorted(self._pending):
            module = sys.modules.get(name)
            spec = getattr(module, "__spec__", None)
            if module is not None and not getattr(spec, "_initializing", False):
                self._patch_module(name, module)

    def _patch_module(self, name: str, module: ModuleType) -> None:
        self._pending.discard(name)
        done: set[tuple[type, str]] = set()
        for row in self.observed:
            cls = getattr(module, row.cls, None)
            if row.module != name or not isinstance(cls, type):
                continue
            if row.made_by:
                maker_name, _, method = row.made_by.partition(".")
                maker = getattr(module, maker_name, None)
                if isinstance(maker, type):
                    self._patch(maker, method, done, functools.partial(self._maker, row, cls))
            else:
                self._patch(cls, "__init__", done, functools.partial(self._init, row))
            for closer in row.closers:
                self._patch(cls, closer, done, self._closer)

    def _patch(self, cls: type, name: str, done: set[tuple[type, str]],
               wrap: Callable[[Method], Method]) -> None:
        original = getattr(cls, name, None)
        if (cls, name) in done or not callable(original):
            return
        done.add((cls, name))
        self._patches.append((cls, name, cls.__dict__.get(name, _MISSING)))
        setattr(cls, name, functools.wraps(original)(wrap(original)))

    # -- the wrappers: call the original, then tell the tracker ---------------

    def _init(self, row: Observed, original: Method) -> Method:
        def __init__(obj: object, *args: Any, **kwargs: Any) -> None:
            original(obj, *args, **kwargs)
            if self.owner is not None:
                self._made(obj, row, self._site())
        return __init__

    def _maker(self, row: Observed, cls: type, original: Method) -> Method:
        keyword = row.stream_keyword

        if inspect.iscoroutinefunction(original):
            async def amake(obj: object, *args: Any, **kwargs: Any) -> Any:
                if self.owner is None or not kwargs.get(keyword):
                    return await original(obj, *args, **kwargs)
                site = self._site()  # before the await: the caller is on the stack
                made = await original(obj, *args, **kwargs)
                if isinstance(made, cls):
                    self._made(made, row, site)
                return made
            return amake

        def make(obj: object, *args: Any, **kwargs: Any) -> Any:
            if self.owner is None or not kwargs.get(keyword):
                return original(obj, *args, **kwargs)
            site = self._site()
            made = original(obj, *args, **kwargs)
            if isinstance(made, cls):
                self._made(made, row, site)
            return made
        return make

    def _closer(self, original: Method) -> Method:
        if inspect.iscoroutinefunction(original):
            async def aclose(obj: object, *args: Any, **kwargs: Any) -> Any:
                try:
                    return await original(obj, *args, **kwargs)
                finally:
                    self._closed(obj)
            return aclose

        def close(obj: object, *args: Any, **kwargs: Any) -> Any:
            try:
                return original(obj, *args, **kwargs)
            finally:
                self._closed(obj)
        return close

    def _site(self) -> tuple[CodeType | None, int]:
        """The code and line of the creation site (``Site`` once it leaks)."""
        frame: FrameType | None = sys._getframe(1)
        skipped = self._skipped
        while frame is not None:
            code = frame.f_code
            skip = skipped.get(code)
            if skip is None:
                module = str(frame.f_globals.get("__name__", ""))
                skip = skipped[code] = module.partition(".")[0] in self._skip
            if not skip:
                return code, frame.f_lineno
            frame = frame.f_back
        return None, 0

    # -- the records ----------------------------------------------------------

    def _made(self, obj: object, row: Observed, site: tuple[CodeType | None, int]) -> None:
        key = id(obj)
        with self._lock:
            self._drain()
            owner, known = self.owner, self._open.get(key)
            if owner is None or (known is not None and _alive(known) is obj):
                return  # a subclass's __init__ and its base's both tracked
            record = _Record(row, site, owner, type(obj), next(self._serial))
            try:
                # The callback only notes the id: it may run inside any
                # allocation, even one of ours, so it must not take the lock.
                record.ref = weakref.ref(obj, lambda _ref: self._dead.append(key))
            except TypeError:  # no weak references: judged by its closers alone
                pass
            head = row.closed_when.partition(".")
            if head[2]:
                record.holder = getattr(obj, head[0], None)
            self._open[key] = record

    def _closed(self, obj: object) -> None:
        record = self._open.get(id(obj))
        if record is None or (record.ref is not None and record.ref() is not obj):
            return
        if _is_closed(obj, record.observed) is False:
            return  # a closer that left it open (aiohttp's end of an upgraded body)
        with self._lock:
            if self._open.get(id(obj)) is record:
                del self._open[id(obj)]

    def _drain(self) -> None:
        """Move the records of collected objects to the leaks, unless they
        gave their connection back before they went. Called with the lock."""
        while self._dead:
            key = self._dead.pop()
            record = self._open.get(key)
            if record is None or _alive(record) is not None:
                continue  # closed meanwhile, or the id is a new object's
            del self._open[key]
            if not _closed_after_gc(record):
                self._gone.append(record)
            record.holder = None

    def take(self, owner: Owner | None = None) -> list[Leak]:
        """Judge what ``owner`` made (everything, when None) and forget it:
        the leaks, in the order the objects were made."""
        def mine(record: _Record) -> bool:
            return owner is None or record.owner is owner

        with self._lock:
            self._drain()
            judged = [(key, record) for key, record in list(self._open.items()) if mine(record)]
            for key, _ in judged:
                del self._open[key]
            gone = [record for record in self._gone if mine(record)]
            self._gone = [record for record in self._gone if not mine(record)]
        leaks = [(record.serial, record.leak(True)) for record in gone]
        leaks += [(record.serial, record.leak(False)) for _, record in judged
                  if not _judged_closed(record)]
        return [leak for _, leak in sorted(leaks, key=lambda pair: pair[0])]


def _alive(record: _Record) -> object:
    return record.ref() if record.ref is not None else _MISSING


def _judged_closed(record: _Record) -> bool:
    obj = _alive(record)
    if obj is None:  # died since the last drain
        return _closed_after_gc(record)
    return obj is not _MISSING and _is_closed(obj, record.observed) is True


_ONE_MODULE_LOADERS = (importlib.machinery.SourceFileLoader,
                       importlib.machinery.SourcelessFileLoader)


class _ImportWatch(importlib.abc.MetaPathFinder):
    """Calls back once one of ``names`` has been imported, so that a library
    is patched before the program can use it. Only source and byte-code
    modules: their loader is made for one module, so wrapping its
    `exec_module` touches nothing else."""

    def __init__(self, names: Iterable[str], imported: Callable[[str, ModuleType], None]) -> None:
        self.names = set(names)
        self.imported = imported
        self._finding: set[str] = set()

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.names or fullname in self._finding:
            return None
        self._finding.add(fullname)  # the search below asks this finder too
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self._finding.discard(fullname)
        loader = spec.loader if spec is not None else None
        if not isinstance(loader, _ONE_MODULE_LOADERS):
            return None
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            self.names.discard(fullname)
            self.imported(fullname, module)

        setattr(loader, "exec_module", exec_module)
        return spec
