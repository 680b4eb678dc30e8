"""Checking, and fixing, one file: what a `connclose` worker process runs.

A job carries everything a worker needs, so that it can run in another
process; the result never raises, so one bad file cannot stop a run. libcst
is imported only by a fix job that has something to fix.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace

from flake8_connclose import engine, sources
from flake8_connclose.analysis import Analysis
from flake8_connclose.engine import Configuration
from flake8_connclose.findings import Finding
from flake8_connclose.fixes import NotFixed, apply_fixes, why_not_fixable
from flake8_connclose.report import Diagnostic
from flake8_connclose.rules import BY_CODE


@dataclass(frozen=True)
class Job:
    """One file to parse and check: everything a worker process needs.
    ``original`` is set when the file is to be fixed: its bytes as read."""

    path: str
    text: str
    configuration: Configuration
    original: bytes | None = None
    unsafe: bool = False


@dataclass(frozen=True)
class Outcome:
    """What is left to report; for a fixed file, also what was fixed (where it
    was in the old text), the new text and bytes, and what to report instead
    if they cannot be written (the findings of the old text)."""

    diagnostics: list[Diagnostic]
    internal_error: str = ""
    fixed: list[Diagnostic] = field(default_factory=list)
    new_text: str | None = None
    new_data: bytes | None = None
    unwritten: list[Diagnostic] = field(default_factory=list)


def run_job(job: Job) -> Outcome:
    """Check the file, or fix it when the job carries its original bytes."""
    try:
        return _fix(job) if job.original is not None else Outcome(_diagnose(job, job.text))
    except Exception as error:  # an engine bug: report it, naming the file, and go on
        import traceback  # only for this: start-up counts on a pre-commit run

        frames = "".join(traceback.format_exception(type(error), error, error.__traceback__,
                                                    limit=-4))
        return Outcome([], f"{job.path}: internal error: {type(error).__name__}: {error}\n"
                           f"{frames}Please report this, with the file if you can.")


def _diagnose(job: Job, text: str) -> list[Diagnostic]:
    found = _findings(job, text)
    if isinstance(found, Diagnostic):
        return [found]
    return _placed(job, text, found)


def _placed(job: Job, text: str, findings: list[Finding],
            reasons: dict[tuple[str, int, int], str] | None = None) -> list[Diagnostic]:
    if not findings:
        return []
    source = sources.Source(text)
    placed = []
    for f in findings:
        d = Diagnostic.of(job.path, f, source.line(f.line))
        if reasons is not None:
            d = replace(d, fix="not_fixable", reason=reasons.get((f.code, f.line, f.col))
                        or _no_fix_reason(f))
        placed.append(d)
    return placed


def _findings(job: Job, text: str, keep: bool = False) -> list[Finding] | Diagnostic:
    """The findings as the user configured the check, or the E999 of a file
    that does not parse. ``keep``: the source is one a fix goes through,
    whose analysis is worth keeping for the passes and rechecks that follow."""
    found = _analysed(job, text, keep)
    return found if isinstance(found, Diagnostic) else found[0]


def _analysed(job: Job, text: str,
              keep: bool = False) -> tuple[list[Finding], Analysis | None] | Diagnostic:
    """``_findings``, with the analysis they came from."""
    path = job.path
    try:
        with warnings.catch_warnings():
            # Python's own warnings (invalid escapes...) are not ours to print.
            warnings.simplefilter("ignore")
            return engine.check_analysed(text, job.configuration, keep)
    except SyntaxError as error:
        return _syntax_error(path, text, error)
    except ValueError as error:  # a null byte, before Python 3.12
        return _syntax_error(path, text, SyntaxError(str(error)))
    except (RecursionError, MemoryError):
        reason = "SyntaxError: too deeply nested for Python's parser"
        return Diagnostic.file_error(path, "E999", reason)


def _syntax_error(path: str, text: str, error: SyntaxError) -> Diagnostic:
    line, column = error.lineno, error.offset
    if line is None and "\0" in text:
        before = text[:text.index("\0")]
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
    return Diagnostic.file_error(path, "E999", f"SyntaxError: {error.msg}",
                                 line or 1, max(column or 1, 1))


# -- fixing -------------------------------------------------------------------

def _fix(job: Job) -> Outcome:
    assert job.original is not None
    checked = _analysed(job, job.text)
    if isinstance(checked, Diagnostic):
        return Outcome([checked])
    found, analysis = checked
    if not found:
        return Outcome([])
    if not any(f.fixable or (job.unsafe and BY_CODE[f.code].applicability == "unsafe")
               for f in found):
        unfixable = why_not_fixable(job.text, found, job.unsafe, job.configuration.settings,
                                    analysis)
        return Outcome(_placed(job, job.text, found, _keyed(unfixable)))
    original = sources.Original(job.original)
    try:
        if original.encode(job.text) != job.original:
            raise sources.SourceError("E902", "the file would not be written back unchanged")
    except sources.SourceError as error:
        return Outcome(_placed(job, job.text, found, _all_because(found, error.reason)))

    result = apply_fixes(job.text, found, job.unsafe, job.configuration.settings,
                         lambda text: _still_reported(job, text))
    reasons = _keyed(result.not_fixed)
    if not result.changed:
        return Outcome(_placed(job, job.text, found, reasons))
    try:
        new_data = original.encode(result.source)
    except sources.SourceError as error:
        return Outcome(_placed(job, job.text, found, _all_because(found, error.reason)))
    remaining = _still_reported(job, result.source)
    fixed = [replace(Diagnostic.of(job.path, f), fix="fixed") for f in result.fixed]
    return Outcome(_placed(job, result.source, remaining, reasons), fixed=fixed,
                   new_text=result.source, new_data=new_data,
                   unwritten=_placed(job, job.text, found, {}))


def _still_reported(job: Job, text: str) -> list[Finding]:
    found = _findings(job, text, keep=True)
    return [] if isinstance(found, Diagnostic) else found


def _keyed(not_fixed: list[NotFixed]) -> dict[tuple[str, int, int], str]:
    return {(n.finding.code, n.finding.line, n.finding.col): n.reason for n in not_fixed}


def _all_because(findings: list[Finding], reason: str) -> dict[tuple[str, int, int], str]:
    return {(f.code, f.line, f.col): reason for f in findings}


def _no_fix_reason(finding: Finding) -> str:
    # Only when no planner gave one: a finding of a rewrite that failed a guarantee.
    return "no automatic fix for this code (see the rule's Fix safety)"
