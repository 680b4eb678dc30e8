"""Which plan a finding gets: its rule's, planned at the call it points at.
Pure ``ast``, so that a front end can say why a finding is not fixable
without loading libcst."""

from __future__ import annotations

import ast

from flake8_connclose.analysis import Analysis, CallSite
from flake8_connclose.findings import Finding
from flake8_connclose.planning.common import NotFixable, Plan
from flake8_connclose.rules import BY_CODE
from flake8_connclose.sources import located_source


def plan_for(finding: Finding, analysis: Analysis, source: str, unsafe: bool
             ) -> Plan | NotFixable:
    """The fix of ``finding``'s rule for it; unsafe fixes only if asked."""
    rule = BY_CODE[finding.code]
    target: CallSite | ast.expr | None = site_of(analysis, source, finding)
    if target is None and rule.node_planner is not None:
        target = stored_attribute_of(analysis, source, finding)
    return rule.plan(analysis, target, unsafe)


def stored_attribute_of(analysis: Analysis, source: str, finding: Finding) -> ast.expr | None:
    """The assigned attribute (`s.keep_alive = ...`) a finding points at."""
    located = located_source(source)
    for target, _ in analysis.attribute_stores:
        if target.lineno == finding.line and \
                located.chars(target.lineno, target.col_offset) == finding.col:
            return target
    return None


def site_of(analysis: Analysis, source: str, finding: Finding) -> CallSite | None:
    """The call a finding points at."""
    located = located_source(source)
    for site in analysis.calls:
        call = site.call
        if call.lineno == finding.line and \
                located.chars(call.lineno, call.col_offset) == finding.col:
            return site
    return None
