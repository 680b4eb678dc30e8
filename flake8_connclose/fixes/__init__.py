"""Automatic rewrites of the findings (SPEC §4).

libcst is imported only when something is to be fixed: the planners
(``plan``, ``inline_plan``, ``loop_plan``, ``hoist_plan``) are pure ``ast``
and the rules use them to mark findings fixable; ``apply_fixes`` loads the
libcst rewriters (``wrap``, ``inline``, ``shortcut``, ``loop``, ``hoist``)
and the guarded applier (``apply``) on first use.

Safe: CCL001, CCL002 (wrap in `with`), CCL005 (functional call).
Unsafe, only with ``unsafe=True``: CCL003 (shared session around a loop),
CCL004 (hoist a session out of a loop).
"""

from __future__ import annotations

from typing import Callable, Sequence

from flake8_connclose.findings import Finding
from flake8_connclose.fixes.plan import NotFixable, plan_for, site_of
from flake8_connclose.fixes.result import FixResult, NotFixed
from flake8_connclose.settings import DEFAULT, Settings

__all__ = ["FixResult", "NotFixed", "apply_fixes", "why_not_fixable"]


def apply_fixes(source: str, findings: Sequence[Finding], unsafe: bool = False,
                settings: Settings = DEFAULT,
                recheck: Callable[[str], Sequence[Finding]] | None = None) -> FixResult:
    """Fix ``findings`` (from ``check_source(source)``) in ``source``.

    Safe fixes always; unsafe ones only with ``unsafe``. Findings without an
    applicable fix come back in ``not_fixed`` with the reason, and the code
    they are in is left byte for byte as it was. ``recheck`` gives the
    findings of a rewritten source that later passes may fix (default: all of
    ``check_source``); a front end passes its selection and ``noqa`` filter so
    that a suppressed or unselected finding is never fixed.
    """
    from flake8_connclose.fixes.apply import apply_fixes as apply

    return apply(source, findings, unsafe, settings, recheck)


def why_not_fixable(source: str, findings: Sequence[Finding], unsafe: bool = False,
                    settings: Settings = DEFAULT) -> list[NotFixed]:
    """The planners' reason for each finding that has no fix, without libcst:
    what a front end reports when nothing in a file is worth rewriting."""
    from flake8_connclose.engine import analysed  # the engine's rules import this package

    _, analysis = analysed(source, settings)
    reasons = []
    for finding in findings:
        plan = plan_for(finding.code, analysis, site_of(analysis, source, finding), unsafe)
        if isinstance(plan, NotFixable):
            reasons.append(NotFixed(finding, plan.reason))
    return reasons
