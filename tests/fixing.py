"""What the fix tests share: fix a source as `connclose --fix` would, and
compare a before/after pair written as indented text."""

from __future__ import annotations

import textwrap

from flake8_connclose.engine import check_source
from flake8_connclose.fixes import FixResult, apply_fixes


def fix(source: str) -> FixResult:
    return apply_fixes(source, check_source(source))


def d(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def check_pair(before: str, after: str) -> None:
    """The safe fix turns ``before`` into exactly ``after``, and every finding
    it fixed was reported fixable."""
    result = fix(d(before))
    assert result.source == d(after)
    assert result.fixed and not result.not_fixed
    assert all(f.fixable for f in result.fixed)
