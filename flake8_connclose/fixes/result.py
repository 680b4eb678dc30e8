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
    findings whose fix was applied, and those left alone with the reason."""

    source: str
    fixed: list[Finding] = field(default_factory=list)
    not_fixed: list[NotFixed] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fixed)
