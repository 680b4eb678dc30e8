"""The rules, in code order. Each module holds one rule and its check."""

from __future__ import annotations

from types import ModuleType

from flake8_connclose.rules import ccl001, ccl002, ccl003, ccl004, ccl005, ccl006, ccl007, ccl901
from flake8_connclose.rules.base import Context, Rule

_MODULES: tuple[ModuleType, ...] = (ccl001, ccl002, ccl003, ccl004, ccl005, ccl006, ccl007, ccl901)

RULES: tuple[Rule, ...] = tuple(module.RULE for module in _MODULES)
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
CHECKS = tuple(module.check for module in _MODULES)

__all__ = ["BY_CODE", "CHECKS", "RULES", "Context", "Rule"]
