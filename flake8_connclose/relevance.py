"""Which statements of a module a check can pass over unread: top-level
statements, and the methods of a class that keeps no session (``spells``).

A statement can create, hold, use or close a tracked resource only by
spelling a name that leads to one: a name a tracked import binds (`requests`,
`Session`; `urllib.request` after `import urllib`), an import of its own, a
name that the module binds in a statement spelling such a name (`rq =
requests`, `SESSION = rq.Session()`, `def make(): return rq.Session()`), or
a class in the family of a class whose methods do (they share its `self`:
a base's `close()` closes the subclass's session). A class's name elsewhere
leads to nothing tracked: the engine tracks no session an instance holds.
Everything else is passed over by the check's walk: most of the code, even
of a module that imports an HTTP library. Names are looked for in a
statement's text, so one in a comment or a string only costs an analysis,
and what spells none cannot matter. A fix analyses every statement: it asks
about names everywhere.
"""

from __future__ import annotations

import ast
import bisect
import functools
import itertools
import re
from typing import Sequence

from flake8_connclose.libraries import Registry
from flake8_connclose.names import Import, Scope, StarImport
from flake8_connclose.sources import first_line

# `global a, b` in a function: the names it binds are the module's.
_GLOBAL = re.compile(r"\bglobal[ \t]+(\w+(?:[ \t]*,[ \t]*\w+)*)")
_WORD_CHAR = re.compile(r"\w")
_WORD = re.compile(r"\w+")
# A class statement with bases: they are the words up to its colon.
# (From its literal `class`, which `re` finds fast; `subclass X(` only adds words.)
_CLASS_HEADER = re.compile(r"class[ \t]+\w+[ \t]*\(")
# What may stand between the parts of a dotted name: `http . client`,
# `(http).client`, a backslash continuation.
_DOT = r"[\s\\()]*\.[\s\\()]*"


class _Module:
    """The module's top-level statements as spans of its text."""

    def __init__(self, tree: ast.Module, lines: Sequence[str]) -> None:
        self.units = tree.body
        self.text = "".join(lines)
        self.offsets = [0, *itertools.accumulate(map(len, lines))]
        last = len(lines)
        self.first_lines = [first_line(unit) for unit in self.units]
        self.starts = [self.offsets[min(line, last) - 1] for line in self.first_lines]
        self.ends = [self.offsets[min(unit.end_lineno or line, last)]
                     for line, unit in zip(self.first_lines, self.units)]

    def unit_at(self, position: int) -> int | None:
        """The statement whose text holds ``position``, if any."""
        index = bisect.bisect_right(self.starts, position) - 1
        return index if index >= 0 and position < self.ends[index] else None

    def line_at(self, position: int) -> int:
        return bisect.bisect_right(self.offsets, position)

    def spelling(self, word: str, tail: re.Pattern[str] | None) -> list[int]:
        """Where the text spells ``word`` as a name: a whole word, not an
        attribute (`app.client`), followed by ``tail`` if given."""
        text, found = self.text, []
        position = text.find(word)
        while position >= 0:
            end = position + len(word)
            if not (position and (text[position - 1] == "."
                                  or _WORD_CHAR.match(text, position - 1))) \
                    and not _WORD_CHAR.match(text, end) \
                    and (tail is None or tail.match(text, end)):
                found.append(position)
            position = text.find(word, end)
        return found


class Relevance:
    """Which parts of a module spell a name leading to a tracked resource:
    ``passed_over`` holds its top-level statements that do not."""

    def __init__(self, tree: ast.Module, module: Scope, registry: Registry,
                 lines: Sequence[str]) -> None:
        self._module = spans = _Module(tree, lines)
        units = spans.units
        bound = _names_by_unit(module, spans.first_lines)
        classes = {unit.name: index for index, unit in enumerate(units)
                   if isinstance(unit, ast.ClassDef)}
        subclasses: dict[str, list[int]] = {}
        for position, unit in enumerate(units):
            for base in getattr(unit, "bases", ()):
                if isinstance(base, ast.Name):
                    subclasses.setdefault(base.id, []).append(position)
        declared: dict[int, list[str]] = {}
        if "global" in spans.text:
            for match in _GLOBAL.finditer(spans.text):
                index = spans.unit_at(match.start())
                if index is not None:
                    declared.setdefault(index, []).extend(
                        name.strip() for name in match.group(1).split(","))
        self._names = _import_spellings(module, registry)
        seen = {name for name, _ in self._names}
        self._spelled = list(registry.tracked_imports(spans.text))
        found = self._spelled[:]
        pending = set(range(len(units)))
        while found:
            # Each statement found makes the names it binds (and its bases) related.
            indices = [index for index in map(spans.unit_at, found) if index is not None]
            while indices:
                index = indices.pop()
                if index not in pending:
                    continue
                pending.discard(index)
                unit = units[index]
                if isinstance(unit, ast.ClassDef):
                    # Its family: the classes it inherits from and those
                    # inheriting from it, whose methods share its `self`.
                    indices += [classes[base.id] for base in unit.bases
                                if isinstance(base, ast.Name) and base.id in classes]
                    indices += subclasses.get(unit.name, [])
                for name in [*bound.get(index, ()), *declared.get(index, ())]:
                    if name in seen or isinstance(module.names.get(name), Import) or (
                            isinstance(unit, ast.ClassDef) and name == unit.name):
                        continue  # a class's name elsewhere reaches nothing tracked
                    seen.add(name)
                    self._names.append((name, None))
            found = self._spell_next() if pending else []
        self.passed_over = {units[index] for index in pending}
        self._classes = classes
        self._lines: list[int] | None = None
        self._bases: set[str] | None = None

    def _spell_next(self) -> list[int]:
        """Where the next name still to look for is spelled (none when no name is left)."""
        while self._names:
            found = self._module.spelling(*self._names.pop())
            self._spelled += found
            if found:
                return found
        return []

    def spells(self, node: ast.stmt) -> bool:
        """Does ``node``'s text (decorators included) spell a related name?"""
        if self._lines is None:
            while self._names:
                self._spell_next()
            self._lines = sorted({self._module.line_at(p) for p in self._spelled})
        index = bisect.bisect_left(self._lines, first_line(node))
        return index < len(self._lines) and self._lines[index] <= (node.end_lineno or 0)

    def defines_class(self, name: str) -> bool:
        """Is ``name`` a class the module defines at its top level?"""
        return name in self._classes

    def is_a_base(self, name: str) -> bool:
        """Might a class of the module name ``name`` among its bases?"""
        if self._bases is None:
            text = self._module.text
            self._bases = {word for match in _CLASS_HEADER.finditer(text)
                           for word in _WORD.findall(text, match.end(),
                                                     _or_end(text.find(":", match.end()), text))}
        return name in self._bases


def _or_end(position: int, text: str) -> int:
    return position if position >= 0 else len(text)


def _import_spellings(module: Scope,
                      registry: Registry) -> list[tuple[str, re.Pattern[str] | None]]:
    """The names the module's imports bind to something leading to a
    tracked name, each with what must follow it (``_tail``)."""
    spellings: list[tuple[str, re.Pattern[str] | None]] = []
    for name, binding in module.names.items():
        if isinstance(binding, StarImport):
            spellings.append((name, None))
        elif isinstance(binding, Import):
            parts = registry.next_parts(binding.qualname)
            if parts is None:
                spellings.append((name, None))
            elif parts:
                spellings.append((name, _tail(parts)))
    return spellings


@functools.lru_cache(maxsize=64)
def _tail(parts: frozenset[str]) -> re.Pattern[str]:
    """What must follow a module's name for the code to reach something
    tracked through it: one of its next ``parts`` (`requests.get`, not
    `requests.exceptions`), or no attribute at all, where the module itself
    is the value (`rq = requests`), unless the name is being bound instead
    (`client = ...`, `client: int`, a walrus)."""
    nexts = "|".join(sorted(map(re.escape, parts)))
    return re.compile(rf"{_DOT}(?:{nexts})(?!\w)|(?!{_DOT}\w|[ \t]*(?:=(?!=)|:))")


def _names_by_unit(module: Scope, starts: list[int]) -> dict[int, set[str]]:
    """The names each top-level statement binds in the module."""
    bound: dict[int, set[str]] = {}
    for name, nodes in module.stores.items():
        for node in nodes:
            index = bisect.bisect_right(starts, getattr(node, "lineno", 1)) - 1
            bound.setdefault(max(index, 0), set()).add(name)
    return bound
