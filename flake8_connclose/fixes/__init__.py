"""Automatic rewrites of the findings.

Each rule names its fix (``Rule.planner``, pure ``ast``, in
``flake8_connclose.planning``) and whether it is safe (``Rule.applicability``);
this package carries the plans out with libcst, imported only when something
is to be fixed: ``apply_fixes`` loads the rewriters and the guarded applier
(``apply``) on first use. ``docs/fixes.md`` lists the fixes.
"""

from __future__ import annotations

from typing import Callable, Sequence

from flake8_connclose.analysis import Analysis
from flake8_connclose.engine import analysed
from flake8_connclose.findings import Finding
from flake8_connclose.fixes.plans import plan_for
from flake8_connclose.fixes.result import FixResult, NotFixed
from flake8_connclose.planning.common import NotFixable
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
    from flake8_connclose.fixes.apply import apply_fixes as apply  # libcst: only to fix

    return apply(source, findings, unsafe, settings, recheck)


def why_not_fixable(source: str, findings: Sequence[Finding], unsafe: bool = False,
                    settings: Settings = DEFAULT,
                    analysis: Analysis | None = None) -> list[NotFixed]:
    """The planners' reason for each finding that has no fix, without libcst:
    what a front end reports when nothing in a file is worth rewriting.
    ``analysis``: the check's own, which called them not fixable."""
    if analysis is None:
        analysis = analysed(source, settings)[1]
    reasons = []
    for finding in findings:
        plan = plan_for(finding, analysis, source, unsafe)
        if isinstance(plan, NotFixable):
            reasons.append(NotFixed(finding, plan.reason))
    return reasons
