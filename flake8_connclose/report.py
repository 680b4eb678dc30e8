"""Diagnostics out: text, json, sarif and github, all 1-based as flake8 prints.

A ``Diagnostic`` is a finding placed in a file, or a file that could not be
checked (E902: unreadable, E999: does not decode or parse). Every format
prints the same list, already filtered and sorted by the caller.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence
from urllib.parse import quote

from flake8_connclose import __version__
from flake8_connclose.findings import Finding
from flake8_connclose.rules import BY_CODE, RULES

FORMATS = ("text", "json", "sarif", "github")
# Not rules: a file connclose could not check, named as flake8 names them.
FILE_ERRORS = {
    "E902": "The file could not be read.",
    "E999": "The file could not be decoded or parsed as Python.",
}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One line of the report. ``end_column`` is exclusive, as ruff's is."""

    path: str
    line: int
    column: int
    code: str
    message: str
    end_line: int
    end_column: int
    fixable: bool = False
    # The physical line, for --show-source; not part of the identity.
    source: str = field(default="", compare=False)
    # With --fix: "fixed" or "not_fixable", and for the latter the reason.
    fix: str = field(default="", compare=False)
    reason: str = field(default="", compare=False)

    @classmethod
    def of(cls, path: str, finding: Finding, source: str = "") -> Diagnostic:
        return cls(path, finding.line, finding.col + 1, finding.code, finding.message,
                   finding.end_line, finding.end_col + 1, finding.fixable, source)

    @classmethod
    def file_error(cls, path: str, code: str, reason: str,
                   line: int = 1, column: int = 1) -> Diagnostic:
        return cls(path, line, column, code, reason, line, column)


@dataclass(frozen=True)
class Style:
    """How the text format looks: ANSI colour only on a terminal."""

    color: bool = False
    show_source: bool = False


def text(diagnostics: Sequence[Diagnostic], style: Style = Style()) -> str:
    """`path:line:col: CODE message`, one a line, as flake8 prints them."""
    return "".join(_text_line(d, style) for d in diagnostics)


def _text_line(d: Diagnostic, style: Style) -> str:
    paint = _painter(style.color)
    why = f" (not fixable: {d.reason})" if d.reason else ""
    line = (f"{paint(d.path, '1')}:{d.line}:{d.column}: "
            f"{paint(d.code, '1;31')} {d.message}{why}\n")
    if style.show_source and d.source:
        physical = d.source.rstrip("\r\n")
        # Keep tabs so the caret lines up under the code, as flake8 does.
        indent = "".join(c if c.isspace() else " " for c in physical[:d.column - 1])
        line += f"{physical}\n{indent}{paint('^', '1;31')}\n"
    return line


def _painter(color: bool) -> Callable[[str, str], str]:
    if not color:
        return lambda text, _sgr: text
    return lambda text, sgr: f"\033[{sgr}m{text}\033[0m"


def summary(diagnostics: Sequence[Diagnostic], fixed: int | None = None) -> str:
    """Ruff's closing line: how many, and how many a fix can handle or, after
    ``--fix``, how many it fixed."""
    count = len(diagnostics) + (fixed or 0)
    if not count:
        return "All checks passed!\n"
    noun = "finding" if count == 1 else "findings"
    if fixed is not None:
        return f"Found {count} {noun} ({fixed} fixed, {len(diagnostics)} remaining).\n"
    fixable = sum(d.fixable for d in diagnostics)
    fix_note = f" ({fixable} fixable with --fix)" if fixable else ""
    return f"Found {count} {noun}{fix_note}.\n"


def statistics(diagnostics: Sequence[Diagnostic]) -> str:
    """flake8's `--statistics` table: count, code, and what the code is."""
    counts = Counter(d.code for d in diagnostics)
    first: dict[str, str] = {}
    for d in diagnostics:
        first.setdefault(d.code, d.message)
    rows = []
    for code in sorted(counts):
        rule = BY_CODE.get(code)
        rows.append(f"{counts[code]:<5} {code} {rule.name if rule else first[code]}\n")
    return "".join(rows)


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    """A list of objects, one per diagnostic; columns 1-based. After ``--fix``
    each also says whether it was ``fixed`` or is ``not_fixable`` and why."""
    objects = []
    for d in diagnostics:
        item: dict[str, Any] = {
            "path": d.path, "line": d.line, "column": d.column, "end_line": d.end_line,
            "end_column": d.end_column, "code": d.code, "message": d.message,
            "fixable": d.fixable,
        }
        if d.fix:
            item.update(fix=d.fix, reason=d.reason or None)
        objects.append(item)
    return json.dumps(objects, indent=2) + "\n"


def github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands: an annotation per diagnostic."""
    lines = []
    for d in diagnostics:
        props = ",".join(f"{key}={_gh_property(str(value))}" for key, value in (
            ("file", d.path), ("line", d.line), ("col", d.column),
            ("endLine", d.end_line), ("endColumn", d.end_column), ("title", d.code),
        ))
        lines.append(f"::error {props}::{_gh_data(f'{d.code} {d.message}')}\n")
    return "".join(lines)


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def sarif(diagnostics: Sequence[Diagnostic]) -> str:
    """SARIF 2.1.0 as GitHub code scanning loads it: one rule per code."""
    descriptors = _sarif_rules()
    index = {rule["id"]: number for number, rule in enumerate(descriptors)}
    run = {
        "tool": {"driver": {
            "name": "connclose",
            "semanticVersion": __version__,
            "version": __version__,
            "informationUri": "https://pypi.org/project/flake8-connclose/",
            "rules": descriptors,
        }},
        "results": [_sarif_result(d, index) for d in diagnostics],
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2) + "\n"


def _sarif_rules() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for rule in RULES:
        descriptor: dict[str, Any] = {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "help": {"text": rule.summary, "markdown": rule.docs_markdown()},
            "defaultConfiguration": {"enabled": rule.default_enabled, "level": "warning"},
        }
        # SARIF wants an absolute URI here; a relative docs path is left out.
        if rule.docs_url.startswith(("https://", "http://")):
            descriptor["helpUri"] = rule.docs_url
        rules.append(descriptor)
    for code, description in FILE_ERRORS.items():
        rules.append({"id": code, "name": "file-not-checked",
                      "shortDescription": {"text": description},
                      "defaultConfiguration": {"level": "error"}})
    return rules


def _sarif_result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    return {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": "error" if d.code in FILE_ERRORS else "warning",
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": _uri(d.path)},
            "region": {"startLine": d.line, "startColumn": d.column,
                       "endLine": d.end_line, "endColumn": d.end_column},
        }}],
    }


def _uri(path: str) -> str:
    """Relative to the working directory (the repository root in CI) when the
    file is below it, which is what code scanning matches against; else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return quote(absolute.relative_to(Path.cwd()).as_posix())
    except ValueError:
        return absolute.as_uri()


RENDERERS: dict[str, Callable[[Sequence[Diagnostic]], str]] = {
    "json": as_json,
    "sarif": sarif,
    "github": github,
}
