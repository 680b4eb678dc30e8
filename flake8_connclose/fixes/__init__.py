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

from typing import Sequence

from flake8_connclose.findings import Finding
from flake8_connclose.fixes.result import FixResult, NotFixed
from flake8_connclose.settings import DEFAULT, Settings

__all__ = ["FixResult", "NotFixed", "apply_fixes"]


def apply_fixes(source: str, findings: Sequence[Finding], unsafe: bool = False,
                settings: Settings = DEFAULT) -> FixResult:
    """Fix ``findings`` (from ``check_source(source)``) in ``source``.

    Safe fixes always; unsafe ones only with ``unsafe``. Findings without an
    applicable fix come back in ``not_fixed`` with the reason, and the code
    they are in is left byte for byte as it was.
    """
    from flake8_connclose.fixes.apply import apply_fixes as apply

    return apply(source, findings, unsafe, settings)
