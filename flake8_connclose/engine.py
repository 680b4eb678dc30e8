"""The detection engine: source or tree in, findings out.

It knows neither flake8 nor libcst. Every face checks through it: the flake8
plugin (``check_tree``), `connclose` and the fixer's re-checks (``check``),
the LibCST codemod (``check``), so they cannot disagree; ``configured`` is
the one place where what the user configured (selection, `# noqa`) is
applied to findings.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from flake8_connclose import noqa
from flake8_connclose.analysis import Analysis, analyse
from flake8_connclose.findings import Finding
from flake8_connclose.libraries import registry_for
from flake8_connclose.rules import CHECKS, Context
from flake8_connclose.selection import Selection
from flake8_connclose.settings import DEFAULT, Settings
from flake8_connclose.sources import Source


@dataclass(frozen=True)
class Configuration:
    """How a user configured a check: the codes to report, the extra names
    that count as HTTP APIs, and whether `# noqa` comments count (flake8
    applies its own)."""

    selection: Selection = field(default_factory=Selection)
    settings: Settings = DEFAULT
    noqa: bool = True


DEFAULT_CONFIGURATION = Configuration()


def may_have_findings(text: str, settings: Settings = DEFAULT) -> bool:
    """The pre-filter: False means the file cannot have a finding, skip the parse."""
    return registry_for(settings).mentions_tracked_module(text)


def check(text: str, configuration: Configuration = DEFAULT_CONFIGURATION,
          keep: bool = False) -> list[Finding]:
    """The findings of a module's text as the user configured the check.
    ``keep``: the text is one a fix goes through, whose analysis is worth
    keeping for the plans and rechecks that follow. Raises SyntaxError (or
    ValueError for a null byte) when it does not parse, as ``compile`` would."""
    return check_analysed(text, configuration, keep)[0]


def check_analysed(text: str, configuration: Configuration = DEFAULT_CONFIGURATION,
                   keep: bool = False) -> tuple[list[Finding], Analysis | None]:
    """``check``, with the analysis its findings came from (None when the
    file was not analysed): a file whose findings have no fix is told why
    from it (``fixes.why_not_fixable``), not from a second analysis."""
    source = Source(text)
    if configuration.noqa and noqa.file_is_exempt(source.lines):
        return [], None
    if not may_have_findings(text, configuration.settings):
        return [], None
    analysis = (analysed(text, configuration.settings)[1] if keep else
                analyse(ast.parse(text), registry_for(configuration.settings), source.lines))
    findings = configured(check_analysis(analysis, source.lines), source, configuration,
                          analysis.tree)
    return findings, analysis


def configured(findings: list[Finding], source: Source, configuration: Configuration,
               tree: ast.Module | None = None) -> list[Finding]:
    """The findings the user selected and no `# noqa` suppresses."""
    findings = [f for f in findings if configuration.selection.enabled(f.code)]
    if configuration.noqa:
        findings = noqa.without_suppressed(findings, source.lines, tree)
    return findings


def check_source(source: str, settings: Settings = DEFAULT) -> list[Finding]:
    """Every finding of a module's source, `# noqa` or not. Raises SyntaxError
    (or ValueError for a null byte) when it does not parse, as ``compile`` would."""
    source = source.removeprefix("\ufeff")  # as Python and flake8 read a UTF-8 BOM
    if not may_have_findings(source, settings):
        return []
    return check_tree(ast.parse(source), Source(source).lines, settings)


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
    """Findings for a parsed module; ``lines`` is its source, line by line
    (to pass over what spells nothing tracked, and count columns in characters)."""
    return check_analysis(analyse(tree, registry_for(settings), lines), lines)


def check_analysis(analysis: Analysis, lines: Sequence[str]) -> list[Finding]:
    """Findings from a module's analysis, which the fixer shares with its planner."""
    context = Context(analysis, Source.of_lines(lines).chars)
    findings = {finding for check in CHECKS for finding in check(context)}
    return sorted(findings)
