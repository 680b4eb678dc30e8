"""What applying fixes returns; free of libcst so front ends can type it."""

from __future__ import annotations

from dataclasses import dataclass, field

from flake8_connclose.findings import Finding


@dataclass(frozen=True, order=True)
class NotFixed:
    finding: Finding
    reason: str


@dataclass(frozen=True)
class FixResult:
    """The new source (the original when nothing could be fixed), the
    findings whose fix was applied, and those left alone with the reason.

    Positions: a fixed finding is where it was when its fix was applied (in
    the given source for the first pass); a not-fixed finding is where it is
    in the returned ``source``, which is where a user will look for it."""

    source: str
    fixed: list[Finding] = field(default_factory=list)
    not_fixed: list[NotFixed] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fixed)
