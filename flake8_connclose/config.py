"""`[tool.connclose]` in `pyproject.toml`: found, read and checked.

The file is found as ruff finds its own: the nearest `pyproject.toml` above
the first path that has a `[tool.connclose]` table. Every key is checked
before anything runs, and a mistake is a ``ConfigError`` naming the file and
the key: a typo that silently turned a rule off would be worse than no
configuration at all.
"""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from flake8_connclose.engine import Configuration
from flake8_connclose.selection import Selection, is_known_prefix
from flake8_connclose.settings import Settings

FILENAME = "pyproject.toml"


class ConfigError(Exception):
    """A configuration mistake; ``str()`` is the whole message for the user."""


@dataclass(frozen=True)
class Config:
    """What a `[tool.connclose]` table says; None where a key is absent, so
    that the command line can tell "not set" from "set to nothing"."""

    path: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    session_factories: tuple[str, ...] = ()
    functional_modules: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def root(self) -> Path:
        """The directory that relative patterns in the file are relative to."""
        return self.path.parent if self.path is not None else Path.cwd()

    @property
    def settings(self) -> Settings:
        return Settings.from_lists(self.session_factories, self.functional_modules)

    @property
    def rooted_per_file_ignores(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((rooted(pattern, self.root), codes)
                     for pattern, codes in self.per_file_ignores)

    def selection(self, select: Sequence[str] | None = None,
                  ignore: Sequence[str] | None = None,
                  extend_select: Sequence[str] = ()) -> Selection:
        """The codes to report; lists given (the command line's) replace the
        file's, and the extend- lists add to both."""
        chosen = next(c for c in (select, self.select, ("CCL",)) if c is not None)
        dropped = next(c for c in (ignore, self.ignore, ()) if c is not None)
        return Selection(select=(*chosen, *self.extend_select, *extend_select),
                         ignore=tuple(dropped))

    def configuration(self, path: str, noqa: bool = True) -> Configuration:
        """How `connclose`, given no options, checks the file at ``path``."""
        dropped = ignored_in(path, self.rooted_per_file_ignores)
        return Configuration(self.selection().without(dropped), self.settings, noqa)


def rooted(pattern: str, root: Path) -> str:
    """flake8's rule: a pattern with a slash is a path below ``root``; one
    without is matched against every file's and directory's own name."""
    if "/" not in pattern:
        return pattern
    return os.path.abspath(os.path.join(root, pattern)).rstrip("/")


def matches(path: str, patterns: Sequence[str]) -> bool:
    name = os.path.basename(path)
    if name not in {"", ".", ".."} and any(fnmatch(name, p) for p in patterns):
        return True
    absolute = os.path.abspath(path)
    return any(fnmatch(absolute, p) for p in patterns)


def ignored_in(path: str, per_file_ignores: Sequence[tuple[str, tuple[str, ...]]]) -> list[str]:
    """The codes per-file ignores (rooted patterns) drop for ``path``."""
    return [code for pattern, codes in per_file_ignores if matches(path, (pattern,))
            for code in codes]


def find(start: Path) -> Path | None:
    """The nearest `pyproject.toml` at or above ``start`` with our table."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / FILENAME
        if candidate.is_file() and _table(_parse(candidate), candidate) is not None:
            return candidate
    return None


def load(path: Path) -> Config:
    """The checked configuration in ``path``'s `[tool.connclose]` table."""
    table = _table(_parse(path), path)
    if table is None:
        raise ConfigError(f"{path}: no [tool.connclose] table")
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(f"{path}: [tool.connclose] unknown key {key!r}{_hint(key)}")
        try:
            values[key.replace("-", "_")] = _KEYS[key](value)
        except ValueError as error:
            raise ConfigError(f"{path}: [tool.connclose] {key}: {error}") from None
    return Config(path=path, **values)


def _parse(path: Path) -> dict[str, Any]:
    # Imported here: most runs find no configuration to read.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        import tomli as tomllib
    try:
        with open(path, "rb") as file:
            return tomllib.load(file)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def _table(document: Mapping[str, Any], path: Path) -> Mapping[str, Any] | None:
    tool = document.get("tool")
    table = tool.get("connclose") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.connclose] must be a table, got {_shown(table)}")
    return table


def _hint(key: str) -> str:
    close = difflib.get_close_matches(key.replace("_", "-"), _KEYS, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# Each key's check: the raw TOML value in, the Config field's value out;
# ValueError says what is wrong with it.
def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a list of strings, got {_shown(value)}")
    return tuple(value)


def codes(value: object) -> tuple[str, ...]:
    """A list of rule codes or prefixes (`CCL`, `CCL00`, `CCL003`)."""
    items = _strings(value)
    for item in items:
        if not is_known_prefix(item):
            better = f" (did you mean {item.upper()!r}?)" if is_known_prefix(item.upper()) else ""
            raise ValueError(f"unknown code {item!r}{better}")
    return items


def dotted_names(value: object) -> tuple[str, ...]:
    """A list of dotted Python names (`myapp.http.make_session`)."""
    items = _strings(value)
    for item in items:
        if not all(part.isidentifier() for part in item.split(".")):
            raise ValueError(f"{item!r} is not a dotted name like 'package.module.name'")
    return items


def _factories(value: object) -> tuple[str, ...]:
    items = dotted_names(value)
    for item in items:
        if "." not in item:
            raise ValueError(f"{item!r} names no module: write 'module.{item}'")
    return items


def _per_file(value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ValueError(f"expected a table of pattern = [codes], got {_shown(value)}")
    entries = []
    for pattern, listed in value.items():
        try:
            entries.append((pattern, codes(listed)))
        except ValueError as error:
            raise ValueError(f"{pattern!r}: {error}") from None
    return tuple(entries)


def _shown(value: object) -> str:
    return f"{type(value).__name__} {value!r}"


_KEYS: dict[str, Callable[[Any], Any]] = {
    "select": codes,
    "ignore": codes,
    "extend-select": codes,
    "exclude": _strings,
    "extend-exclude": _strings,
    "session-factories": _factories,
    "functional-modules": dotted_names,
    "per-file-ignores": _per_file,
}
