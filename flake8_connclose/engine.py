"""The detection engine: source or tree in, findings out.

It knows neither flake8 nor libcst; both front ends call ``check_tree`` or
``check_source``, so they cannot disagree.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Callable, Sequence

from flake8_connclose.analysis import Analysis, analyse
from flake8_connclose.findings import Finding
from flake8_connclose.libraries import registry_for
from flake8_connclose.rules import CHECKS, Context
from flake8_connclose.settings import DEFAULT, Settings

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def may_have_findings(text: str, settings: Settings = DEFAULT) -> bool:
    """The pre-filter: False means the file cannot have a finding, skip the parse."""
    return registry_for(settings).mentions_tracked_module(text)


def check_source(source: str, settings: Settings = DEFAULT) -> list[Finding]:
    """Findings for a module's source. Raises SyntaxError (or ValueError for a
    null byte) when it does not parse, as ``compile`` would."""
    source = source.removeprefix("\ufeff")  # as Python and flake8 read a UTF-8 BOM
    if not may_have_findings(source, settings):
        return []
    return check_tree(ast.parse(source), source_lines(source), settings)


def analyse_source(source: str, settings: Settings = DEFAULT) -> tuple[ast.Module, Analysis]:
    """The tree and analysis of a module's source; raises as ``ast.parse`` does."""
    tree = ast.parse(source)
    return tree, analyse(tree, registry_for(settings))


# Kept for the few sources a fix goes through, whose checks, plans and
# rechecks all need them; shared, so read only. A check of many files does
# without: keeping trees alive costs it time in the garbage collector.
analysed = lru_cache(maxsize=4)(analyse_source)


def check_tree(tree: ast.Module, lines: Sequence[str],
               settings: Settings = DEFAULT) -> list[Finding]:
    """Findings for a parsed module; ``lines`` is its source, line by line,
    used only to count columns in characters."""
    return check_analysis(analyse(tree, registry_for(settings)), lines)


def check_analysis(analysis: Analysis, lines: Sequence[str]) -> list[Finding]:
    """Findings from a module's analysis, which the fixer shares with its planner."""
    context = Context(analysis, _column_counter(lines))
    findings = {finding for check in CHECKS for finding in check(context)}
    return sorted(findings)


def source_lines(source: str) -> list[str]:
    """The lines ``check_tree`` expects: split as Python splits physical lines."""
    return _LINE.findall(source)


def _column_counter(lines: Sequence[str]) -> Callable[[int, int], int]:
    """``ast`` counts columns in UTF-8 bytes; users and flake8 count characters."""

    def columns(line: int, byte_col: int) -> int:
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    return columns
