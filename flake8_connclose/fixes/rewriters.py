"""Which rewriter carries out which plan: the one table the applier reads.
A new fix adds its planner (named by its rule) and its rewriter here."""

from __future__ import annotations

from flake8_connclose.fixes.hoist import HoistSessionOutOfLoop
from flake8_connclose.fixes.inline import BindStreamInWith
from flake8_connclose.fixes.keepalive import SendConnectionClose
from flake8_connclose.fixes.loop import ShareSessionAroundLoop
from flake8_connclose.fixes.rewrite import Rewriter
from flake8_connclose.fixes.shortcut import UseFunctionalCall
from flake8_connclose.fixes.wrap import WrapInWith
from flake8_connclose.planning.common import Plan
from flake8_connclose.sources import Source

_REWRITERS: dict[type, type[Rewriter]] = {  # type: ignore[type-arg]
    rewriter.plan_type: rewriter
    for rewriter in (WrapInWith, BindStreamInWith, ShareSessionAroundLoop,
                     HoistSessionOutOfLoop, UseFunctionalCall, SendConnectionClose)
}


def rewriter_for(plan: Plan, source: Source) -> Rewriter:  # type: ignore[type-arg]
    """The libcst transformer that carries out ``plan`` in ``source``."""
    return _REWRITERS[type(plan)](plan, source)
