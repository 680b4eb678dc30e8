"""Which codes a user asked for: shared by the flake8 plugin and `connclose`.

Both faces must agree on the opt-in band (CCL9xx, like flake8-bugbear's
B9xx): such a code is reported only when a select list names it with a prefix
at least as specific as `CCL9`, so `--select CCL` alone does not turn it on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from flake8_connclose.rules import RULES

CODES: tuple[str, ...] = tuple(rule.code for rule in RULES)
OPT_IN: frozenset[str] = frozenset(rule.code for rule in RULES if not rule.default_enabled)
# `CCL9` is the shortest prefix that names the opt-in band on purpose.
_OPT_IN_PREFIX_LENGTH = 4


def selected_opt_in(chosen: Iterable[str]) -> frozenset[str]:
    """The opt-in codes that one of ``chosen`` names precisely enough."""
    prefixes = [c for c in chosen if len(c) >= _OPT_IN_PREFIX_LENGTH]
    return frozenset(code for code in OPT_IN if code.startswith(tuple(prefixes)))


def is_known_prefix(prefix: str) -> bool:
    """Does ``prefix`` name at least one rule (`C`, `CCL`, `CCL00`, `CCL001`)?"""
    return bool(prefix) and any(code.startswith(prefix) for code in CODES)


@dataclass(frozen=True)
class Selection:
    """flake8's rule for a code named in both lists: the longer prefix wins,
    and on a tie the code is ignored. Opt-in codes also need a precise pick."""

    select: tuple[str, ...] = ("CCL",)
    ignore: tuple[str, ...] = ()
    # Per-file ignores win outright, whatever the select list says (as ruff's do).
    dropped: tuple[str, ...] = ()

    def enabled(self, code: str) -> bool:
        chosen = _longest(self.select, code)
        if chosen is None or code.startswith(self.dropped):
            return False
        dropped = _longest(self.ignore, code)
        if dropped is not None and len(dropped) >= len(chosen):
            return False
        return code not in OPT_IN or code in selected_opt_in(self.select)

    def without(self, codes: Iterable[str]) -> Selection:
        """This selection with more codes dropped (per-file ignores)."""
        return Selection(self.select, self.ignore, self.dropped + tuple(codes))


def _longest(prefixes: Iterable[str], code: str) -> str | None:
    matches = [p for p in prefixes if code.startswith(p)]
    return max(matches, key=len) if matches else None
