"""What every rule carries: code, name, message (written once), docs, examples."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Literal, Sequence, Union

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.findings import Finding
from flake8_connclose.planning.common import NotFixable, Plan

FixAvailability = Literal["always", "sometimes", "none"]
# As ruff: a safe fix is applied by --fix, an unsafe one only with --unsafe-fixes.
Applicability = Literal["safe", "unsafe"]
Planner = Callable[[Analysis, CallSite], Union[Plan, NotFixable]]
# The planner of a finding made at a node that is no call (CCL007's target).
NodePlanner = Callable[[Analysis, ast.expr], Union[Plan, NotFixable]]
_SAFETY = {
    "safe": "The fix is safe: `--fix` applies it.",
    "unsafe": "The fix is unsafe: only `--fix --unsafe-fixes` applies it.",
}
# Relative to the repository root until the project has a published home.
DOCS_URL = "docs/rules/{code}.md"


@dataclass(frozen=True)
class Rule:
    """One rule. ``message`` is a format string filled by the engine."""

    code: str
    name: str
    summary: str
    message: str
    fix: FixAvailability
    fix_safety: str
    what_it_does: str
    why_is_this_bad: str
    example: str
    use_instead: str
    options: str = "None."
    known_problems: str = ""
    references: Sequence[str] = ()
    # Opinionated rules are reported only when a user selects them.
    default_enabled: bool = True
    # Near misses that must not be reported; examples must report the code.
    valid: Sequence[str] = ()
    # The rule's own fix: what plans it, and whether it is safe (ruff's applicability).
    planner: Planner | None = None
    fix_summary: str = ""  # what the fix does, for the fix tables of README and docs
    applicability: Applicability | None = None
    node_planner: NodePlanner | None = None

    def plan(self, analysis: Analysis, site: CallSite | ast.expr | None,
             unsafe: bool) -> Plan | NotFixable:
        """The fix for a finding of this rule at ``site`` (a call, or the node
        a rule that reports no call points at); an unsafe one only if asked."""
        if self.planner is None and self.node_planner is None:
            return NotFixable(f"{self.code} has no automatic fix")
        plan = self._planned(analysis, site)
        if self.applicability == "unsafe" and not unsafe and not isinstance(plan, NotFixable):
            # Said only where --unsafe-fixes does fix it.
            return NotFixable("the fix is unsafe; apply it with --unsafe-fixes")
        return plan

    def _planned(self, analysis: Analysis, site: CallSite | ast.expr | None) -> Plan | NotFixable:
        if isinstance(site, CallSite) and self.planner is not None:
            return self.planner(analysis, site)
        if isinstance(site, ast.expr) and self.node_planner is not None:
            return self.node_planner(analysis, site)
        return NotFixable("the reported code is no longer there")

    def fixable(self, analysis: Analysis, site: CallSite) -> bool:
        """Does ``--fix`` fix a finding at ``site``? (Unsafe fixes never count.)"""
        return self.applicability == "safe" and not isinstance(
            self.plan(analysis, site, unsafe=False), NotFixable)

    def _fix_safety(self) -> str:
        parts = [f"Fix availability: **{self.fix}**.",
                 _SAFETY.get(self.applicability or "", ""), self.fix_safety.strip()]
        return " ".join(part for part in parts if part)

    @property
    def docs_url(self) -> str:
        return DOCS_URL.format(code=self.code)

    def finding(self, node: ast.expr, columns: Callable[[int, int], int], *,
                fixable: bool = False, **args: str) -> Finding:
        """A finding at ``node``; ``columns`` turns (line, byte col) into characters."""
        end_line = node.end_lineno or node.lineno
        end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return Finding(
            line=node.lineno,
            col=columns(node.lineno, node.col_offset),
            code=self.code,
            message=self.message.format(**args),
            end_line=end_line,
            end_col=columns(end_line, end_col),
            fixable=fixable,
        )

    def docs_markdown(self) -> str:
        """The rule's page: ruff's headings, in ruff's order."""
        sections = [
            ("What it does", self.what_it_does),
            ("Why is this bad?", self.why_is_this_bad),
            ("Known problems", self.known_problems),
            ("Example", f"```python\n{self.example.strip()}\n```"),
            ("Use instead", f"```python\n{self.use_instead.strip()}\n```"),
            ("Options", self.options),
            ("Fix safety", self._fix_safety()),
            ("References", "\n".join(f"- {ref}" for ref in self.references) or "None."),
        ]
        parts = [f"# {self.code}: {self.name}\n", f"{self.summary}\n"]
        if not self.default_enabled:
            parts.append(
                f"This rule is off by default: select it with `--select {self.code}` "
                f"(or `--extend-select {self.code}`).\n"
            )
        for heading, body in sections:
            if body.strip():
                parts.append(f"## {heading}\n\n{body.strip()}\n")
        return "\n".join(parts)


@dataclass(frozen=True)
class Context:
    """What a rule's check reads: the analysis, and how to count columns."""

    analysis: Analysis
    columns: Callable[[int, int], int]


def api(call: ast.Call) -> str:
    """The callee as the user wrote it: `rq.Session`, `get`, `self.client.stream`."""
    return ast.unparse(call.func)
