"""Which top-level statements of a module a check can pass over unread.

A statement can create, hold, use or close a tracked resource only by
spelling a name that leads to one: a name a tracked import binds (`requests`,
`Session`; `urllib.request` after `import urllib`), an import of its own, a
name that the module binds in a statement spelling such a name (`rq =
requests`, `SESSION = rq.Session()`, `def make(): return rq.Session()`, a
class whose methods do), or a base class in the family of such a class (its
`close()` closes the subclass's session). Everything else is passed over by
the check's walk: most of the code, even of a module that imports an HTTP
library. Names are looked for in a statement's text, so one in a comment or
a string only costs an analysis, and what spells none cannot matter. A fix
analyses every statement: it asks about names everywhere.
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
# What may stand between the parts of a dotted name: `http . client`,
# `(http).client`, a backslash continuation.
_DOT = r"[\s\\()]*\.[\s\\()]*"


class _Module:
    """The module's top-level statements as spans of its text."""

    def __init__(self, tree: ast.Module, lines: Sequence[str]) -> None:
        self.units = tree.body
        self.text = "".join(lines)
        offsets = [0, *itertools.accumulate(map(len, lines))]
        last = len(lines)
        self.lines = [first_line(unit) for unit in self.units]
        self.starts = [offsets[min(line, last) - 1] for line in self.lines]
        self.ends = [offsets[min(unit.end_lineno or line, last)]
                     for line, unit in zip(self.lines, self.units)]

    def unit_at(self, position: int) -> int | None:
        """The statement whose text holds ``position``, if any."""
        index = bisect.bisect_right(self.starts, position) - 1
        return index if index >= 0 and position < self.ends[index] else None

    def spelling(self, word: str, tail: re.Pattern[str] | None) -> list[int]:
        """The statements that spell ``word`` as a name: a whole word, not
        an attribute (`app.client`), followed by ``tail`` if given."""
        text, found = self.text, []
        position = text.find(word)
        while position >= 0:
            end = position + len(word)
            if not (position and (text[position - 1] == "."
                                  or _WORD_CHAR.match(text, position - 1))) \
                    and not _WORD_CHAR.match(text, end) \
                    and (tail is None or tail.match(text, end)):
                index = self.unit_at(position)
                if index is not None:
                    found.append(index)
            position = text.find(word, end)
        return found


def unrelated(tree: ast.Module, module: Scope, registry: Registry,
              lines: Sequence[str]) -> set[ast.stmt]:
    """The top-level statements that spell no name leading to a tracked resource."""
    spans = _Module(tree, lines)
    units = spans.units
    bound = _names_by_unit(module, spans.lines)
    classes = {unit.name: index for index, unit in enumerate(units)
               if isinstance(unit, ast.ClassDef)}
    declared: dict[int, list[str]] = {}
    if "global" in spans.text:
        for match in _GLOBAL.finditer(spans.text):
            index = spans.unit_at(match.start())
            if index is not None:
                declared.setdefault(index, []).extend(
                    name.strip() for name in match.group(1).split(","))
    names: list[tuple[str, re.Pattern[str] | None]] = _import_spellings(module, registry)
    seen = {name for name, _ in names}
    found = [index for index in map(spans.unit_at, registry.tracked_imports(spans.text))
             if index is not None]
    pending = set(range(len(units)))
    while found or names:
        while found:  # each statement found makes its names (and bases) related
            index = found.pop()
            if index not in pending:
                continue
            pending.discard(index)
            for name in [*bound.get(index, ()), *declared.get(index, ())]:
                if name not in seen and not isinstance(module.names.get(name), Import):
                    seen.add(name)
                    names.append((name, None))
            found += [classes[base.id] for base in getattr(units[index], "bases", ())
                      if isinstance(base, ast.Name) and base.id in classes]
        if names and pending:
            found = spans.spelling(*names.pop())
        else:
            break
    return {units[index] for index in pending}


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
