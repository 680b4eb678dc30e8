"""The one shared applier: plan each finding's fix, rewrite with libcst, and
keep the rewrite only if every guarantee holds.

Guarantees, checked after every single fix: the finding is gone when the
engine re-checks the new code, no other finding appears, the code compiles,
and every comment survives. At the end, a second application must change
nothing. A fix that fails is dropped (the source is as it was before it) and
its finding is reported as not fixable, with the reason.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections import Counter
from functools import partial
from typing import Callable, Sequence, Union

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import MetadataWrapper

from flake8_connclose.analysis import analyse
from flake8_connclose.engine import check_source
from flake8_connclose.findings import Finding
from flake8_connclose.fixes.hoist import HoistSessionOutOfLoop
from flake8_connclose.fixes.hoist_plan import HoistPlan
from flake8_connclose.fixes.inline import BindStreamInWith
from flake8_connclose.fixes.inline_plan import InlinePlan
from flake8_connclose.fixes.loop import ShareSessionAroundLoop
from flake8_connclose.fixes.loop_plan import LoopPlan
from flake8_connclose.fixes.plan import (
    NotFixable,
    Plan,
    ShortcutPlan,
    WrapPlan,
    chars,
    plan_for,
    site_of,
)
from flake8_connclose.fixes.result import FixResult, NotFixed
from flake8_connclose.fixes.shortcut import UseFunctionalCall
from flake8_connclose.fixes.wrap import WrapInWith
from flake8_connclose.libraries import registry_for
from flake8_connclose.settings import DEFAULT, Settings
from flake8_connclose.sources import lines_of

_BOM = "\ufeff"
Recheck = Callable[[str], Sequence[Finding]]
Transformer = Union[WrapInWith, UseFunctionalCall, ShareSessionAroundLoop,
                    HoistSessionOutOfLoop, BindStreamInWith]


class _Failed(Exception):
    """A fix broke a guarantee; the message is the reason."""


def apply_fixes(source: str, findings: Sequence[Finding], unsafe: bool = False,
                settings: Settings = DEFAULT, recheck: Recheck | None = None) -> FixResult:
    bom = _BOM if source.startswith(_BOM) else ""
    text = source[len(bom):]
    recheck = recheck or partial(check_source, settings=settings)
    result = _apply_all(text, findings, unsafe, settings, recheck)
    if result.fixed:
        again = _apply_all(result.source, recheck(result.source), unsafe, settings, recheck)
        if again.source != result.source:
            reason = "a second application would change the code again"
            return FixResult(source, [], [NotFixed(f, reason) for f in findings])
    return FixResult(bom + result.source, result.fixed, result.not_fixed)


_MAX_PASSES = 5


def _apply_all(source: str, findings: Sequence[Finding], unsafe: bool,
               settings: Settings, recheck: Recheck) -> FixResult:
    """Passes until one fixes nothing: a fix that rewrites a whole loop moves
    the findings inside it, which the next pass sees afresh."""
    fixed: list[Finding] = []
    result = _one_pass(source, findings, unsafe, settings)
    for _ in range(_MAX_PASSES):
        if not result.fixed:
            break
        fixed += result.fixed
        source = result.source
        result = _one_pass(source, recheck(source), unsafe, settings)
    return FixResult(result.source, sorted(fixed + result.fixed), result.not_fixed)


def _one_pass(source: str, findings: Sequence[Finding], unsafe: bool,
              settings: Settings) -> FixResult:
    # Bottom-up: a fix only moves code at or after its own position, so the
    # positions of the findings still to do stay true.
    fixed: list[Finding] = []
    not_fixed: list[NotFixed] = []
    imports: set[str] = set()
    covered: set[tuple[str, int, int]] = set()
    for finding in sorted(findings, key=lambda f: (f.line, f.col), reverse=True):
        if (finding.code, finding.line, finding.col) in covered:
            fixed.append(finding)  # fixed along with another (one loop, one session)
            continue
        try:
            source, needed, also = _apply_one(source, finding, unsafe, settings)
        except _Failed as failure:
            not_fixed.append(NotFixed(finding, str(failure)))
            continue
        fixed.append(finding)
        imports |= needed
        covered |= also
    if imports:
        source = _add_imports(source, imports)
    return FixResult(source, sorted(fixed), sorted(not_fixed))


def _add_imports(source: str, modules: set[str]) -> str:
    context = CodemodContext()
    for module in sorted(modules):
        AddImportsVisitor.add_needed_import(context, module)
    return AddImportsVisitor(context).transform_module(cst.parse_module(source)).code


def _apply_one(source: str, finding: Finding, unsafe: bool,
               settings: Settings) -> tuple[str, set[str], set[tuple[str, int, int]]]:
    """The source with this one fix, the modules it needs imported, and the
    other findings (code, line, col) it fixes too."""
    tree = _parse(source)
    analysis = analyse(tree, registry_for(settings))
    site = site_of(analysis, source, finding)
    plan = plan_for(finding.code, analysis, site, unsafe)
    if isinstance(plan, NotFixable):
        raise _Failed(plan.reason)
    new = _rewrite(source, plan)
    _check(source, new, finding, settings)
    return new, _imports_for(plan), _covered(source, plan)


def _imports_for(plan: Plan) -> set[str]:
    if isinstance(plan, (WrapPlan, InlinePlan)) and plan.closing:
        return {"contextlib"}
    if isinstance(plan, LoopPlan) and plan.import_module:
        return {plan.import_module}
    return set()


def _covered(source: str, plan: Plan) -> set[tuple[str, int, int]]:
    if not isinstance(plan, LoopPlan):
        return set()
    lines = lines_of(source)
    return {("CCL003", c.line, chars(lines, c.line, c.col)) for c in plan.calls}


def _parse(source: str) -> ast.Module:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError) as error:
        raise _Failed(f"the file does not parse: {error}") from error


def _rewrite(source: str, plan: Plan) -> str:
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise _Failed(f"libcst cannot parse the file: {error.message}") from error
    context = CodemodContext()
    transformer: Transformer
    lines = lines_of(source)
    if isinstance(plan, WrapPlan):
        transformer = WrapInWith(context, plan)
    elif isinstance(plan, InlinePlan):
        line, col, end_line, end_col = plan.call
        span = (line, chars(lines, line, col), end_line, chars(lines, end_line, end_col))
        transformer = BindStreamInWith(context, plan, span)
    elif isinstance(plan, HoistPlan):
        transformer = HoistSessionOutOfLoop(context, plan)
    elif isinstance(plan, LoopPlan):
        transformer = ShareSessionAroundLoop(context, plan, _spans(source, plan))
    else:
        assert isinstance(plan, ShortcutPlan)
        start = (plan.line, chars(lines, plan.line, plan.col))
        end = (plan.end_line, chars(lines, plan.end_line, plan.end_col))
        transformer = UseFunctionalCall(context, start, end)
    new = MetadataWrapper(module).visit(transformer)
    if not transformer.done or (isinstance(transformer, ShareSessionAroundLoop)
                                and transformer.routed != len(transformer.calls)):
        raise _Failed("the code to rewrite was not found")
    return new.code


def _spans(source: str, plan: LoopPlan) -> dict[tuple[int, int, int, int], str]:
    lines = lines_of(source)
    return {
        (c.line, chars(lines, c.line, c.col), c.end_line, chars(lines, c.end_line, c.end_col)):
        c.member for c in plan.calls
    }


def _check(old: str, new: str, finding: Finding, settings: Settings) -> None:
    try:
        compile(new, "<fixed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        raise _Failed(f"the fixed code would not compile: {error}") from error
    before = Counter(f.code for f in check_source(old, settings))
    after = Counter(f.code for f in check_source(new, settings))
    if after[finding.code] >= before[finding.code]:
        raise _Failed("the finding is still reported after the fix")
    if any(after[code] > before[code] for code in after):
        raise _Failed("the fix would cause another finding")
    if Counter(_comments(old)) - Counter(_comments(new)):
        raise _Failed("the fix would lose a comment")


def _comments(source: str) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [token.string for token in tokens if token.type == tokenize.COMMENT]
