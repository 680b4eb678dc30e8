"""The one shared applier: plan each finding's fix, rewrite with libcst, and
keep the rewrite only if every guarantee holds.

Guarantees, checked after each batch of fixes (and after each single fix
when a batch fails): the findings are gone when the engine re-checks the new
code, no other finding appears, the code compiles, and every comment
survives. At the end, a second application must change nothing. A fix that
fails is dropped (the source is as it was before it) and its finding is
reported as not fixable, with the reason.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections import Counter
from functools import lru_cache, partial
from typing import Any, Callable, Sequence, Union

import libcst as cst
from libcst._types import CSTNodeT  # the type variable of libcst's own on_leave
from libcst.metadata import MetadataWrapper, PositionProvider

from flake8_connclose.analysis import Analysis
from flake8_connclose.engine import (
    analysed,
    check_analysis,
    check_source,
    may_have_findings,
    source_lines,
)
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
    block_of,
    chars,
    plan_for,
    site_of,
)
from flake8_connclose.fixes.result import FixResult, NotFixed
from flake8_connclose.fixes.shortcut import UseFunctionalCall
from flake8_connclose.fixes.wrap import WrapInWith
from flake8_connclose.settings import DEFAULT, Settings
from flake8_connclose.sources import lines_of

_BOM = "\ufeff"
Recheck = Callable[[str], Sequence[Finding]]
Region = Union[tuple[int, int], None]  # the first and last line of a fix's statements
Unit = tuple[int, int, bool]  # first and last line of sibling statements; in a class body
Transformer = Union[WrapInWith, UseFunctionalCall, ShareSessionAroundLoop,
                    HoistSessionOutOfLoop, BindStreamInWith]


class _Failed(Exception):
    """A fix broke a guarantee; the message is the reason."""


def apply_fixes(source: str, findings: Sequence[Finding], unsafe: bool = False,
                settings: Settings = DEFAULT, recheck: Recheck | None = None) -> FixResult:
    bom = _BOM if source.startswith(_BOM) else ""
    text = source[len(bom):]
    recheck = recheck or partial(check_source, settings=settings)
    result, settled = _apply_all(text, findings, unsafe, settings, recheck)
    if not settled:
        reason = "a second application would change the code again"
        return FixResult(source, [], [NotFixed(f, reason) for f in findings])
    return FixResult(bom + result.source, result.fixed, result.not_fixed)


_MAX_PASSES = 5


def _apply_all(source: str, findings: Sequence[Finding], unsafe: bool,
               settings: Settings, recheck: Recheck) -> tuple[FixResult, bool]:
    """Passes until one fixes nothing: a fix that rewrites a whole loop moves
    the findings inside it, which the next pass sees afresh. That last pass
    is the second application the guarantees ask for, so the result is
    settled exactly when the passes ran out before the fixes did."""
    fixed: list[Finding] = []
    result = _one_pass(source, findings, unsafe, settings)
    for _ in range(_MAX_PASSES):
        if not result.fixed:
            break
        fixed += result.fixed
        source = result.source
        result = _one_pass(source, recheck(source), unsafe, settings)
    settled = not result.fixed
    return FixResult(result.source, sorted(fixed + result.fixed), result.not_fixed), settled


def _one_pass(source: str, findings: Sequence[Finding], unsafe: bool,
              settings: Settings) -> FixResult:
    """All the fixes whose code does not overlap in one libcst round trip when
    that batch passes the guarantees; else one fix, one round trip, at a time."""
    batch = _batch_pass(source, findings, unsafe, settings)
    return batch if batch is not None else _pass_one_by_one(source, findings, unsafe, settings)


def _batch_pass(source: str, findings: Sequence[Finding], unsafe: bool,
                settings: Settings) -> FixResult | None:
    """Plan every finding on the same source, keep the plans whose statements
    are disjoint from the others' (so no rewrite moves another's code), apply
    them in one visit, and check the guarantees once for all of them. None
    when a plan could not be placed or the batch fails a check: the caller
    then goes one fix at a time, which is the reference."""
    try:
        tree, analysis = _analysed(source, settings)
    except _Failed:
        return None
    statements = _statements(tree)
    chosen: list[tuple[Finding, Plan, tuple[int, int]]] = []
    not_fixed: list[NotFixed] = []
    covered: set[tuple[str, int, int]] = set()
    deferred = False
    for finding in sorted(findings, key=lambda f: (f.line, f.col), reverse=True):
        if (finding.code, finding.line, finding.col) in covered:
            continue
        plan = plan_for(finding.code, analysis, site_of(analysis, source, finding), unsafe)
        if isinstance(plan, NotFixable):
            not_fixed.append(NotFixed(finding, plan.reason))
            continue
        region = _region(analysis, statements, plan)
        if region is None or any(_overlap(region, other) for _, _, other in chosen):
            deferred = True  # the next pass plans it afresh on the new code
            continue
        chosen.append((finding, plan, region))
        covered |= _covered(source, plan)
    if not chosen and not deferred:
        return FixResult(source, [], sorted(not_fixed))
    if not chosen:
        return None
    try:
        new = _rewrite_all(source, tree, [(plan, region) for _, plan, region in chosen])
        _check(source, new, [f for f, _, _ in chosen], covered, settings)
    except _Failed:
        return None
    imports = set().union(*(_imports_for(plan) for _, plan, _ in chosen))
    if imports:
        new = _add_imports(new, imports)
    fixed = [f for f, _, _ in chosen]
    fixed += [f for f in findings if (f.code, f.line, f.col) in covered and f not in fixed]
    # A deferred finding is fixed by a later pass, or reported by the last.
    return FixResult(new, sorted(fixed), [] if deferred else sorted(not_fixed))


def _statements(tree: ast.Module) -> dict[tuple[int, int], ast.stmt]:
    """Every statement by its position; only statement lists are walked, as
    no expression holds a statement."""
    found: dict[tuple[int, int], ast.stmt] = {}
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt):
            found[(node.lineno, node.col_offset)] = node
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, name, ())
            if isinstance(children, list):  # not a lambda's body, an expression
                stack.extend(children)
    return found


def _region(analysis: Analysis, statements: dict[tuple[int, int], ast.stmt],
            plan: Plan) -> tuple[int, int] | None:
    """The lines of the statements a plan rewrites."""
    if isinstance(plan, ShortcutPlan):
        return plan.line, plan.end_line
    if isinstance(plan, HoistPlan):
        start = statements.get((plan.loop_line, plan.loop_col))
    else:
        assert not isinstance(plan, NotFixable)
        start = statements.get((plan.line, plan.col))
    if start is None or start.end_lineno is None:
        return None
    end = start
    if isinstance(plan, WrapPlan):
        block = block_of(analysis, start) or [start]
        index = next((i for i, s in enumerate(block) if s is start), None)
        if index is None or index + plan.count >= len(block):
            return None
        end = block[index + plan.count]
    return start.lineno, end.end_lineno or start.end_lineno


def _overlap(one: tuple[int, int], other: tuple[int, int]) -> bool:
    return not (one[1] < other[0] or other[1] < one[0])


def _pass_one_by_one(source: str, findings: Sequence[Finding], unsafe: bool,
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
    # libcst's codemod package costs more to import than most fixes to make.
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    context = CodemodContext()
    for module in sorted(modules):
        AddImportsVisitor.add_needed_import(context, module)
    return AddImportsVisitor(context).transform_module(cst.parse_module(source)).code


def _apply_one(source: str, finding: Finding, unsafe: bool,
               settings: Settings) -> tuple[str, set[str], set[tuple[str, int, int]]]:
    """The source with this one fix, the modules it needs imported, and the
    other findings (code, line, col) it fixes too."""
    tree, analysis = _analysed(source, settings)
    site = site_of(analysis, source, finding)
    plan = plan_for(finding.code, analysis, site, unsafe)
    if isinstance(plan, NotFixable):
        raise _Failed(plan.reason)
    new = _rewrite_all(source, tree, [(plan, _region(analysis, _statements(tree), plan))])
    _check(source, new, [finding], set(), settings)
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


def _analysed(source: str, settings: Settings) -> tuple[ast.Module, Analysis]:
    try:
        return analysed(source, settings)
    except (SyntaxError, ValueError) as error:
        raise _Failed(f"the file does not parse: {error}") from error


# A pass checks the code it starts from, which the pass before checked as
# the code it made: each source is checked once.
@lru_cache(maxsize=8)
def _reported(source: str, settings: Settings) -> Counter[str]:
    """The codes ``check_source`` reports, counted; the source must parse."""
    if not may_have_findings(source, settings):
        return Counter()
    _, analysis = _analysed(source, settings)
    return Counter(f.code for f in check_analysis(analysis, source_lines(source)))


def _rewrite_all(source: str, tree: ast.Module, plans: Sequence[tuple[Plan, Region]]) -> str:
    """Carry out the plans, each group of them in one visit of one parse of
    only the statements they touch (a top-level statement, or a member of a
    top-level class): a rewrite never reaches beyond its statements, and
    libcst's parse and positions cost far more than the rest of a fix. The
    whole module is the reference, and the fallback for anything unusual."""
    lines = lines_of(source)
    indent = _default_indent(source)
    units = _units(tree, plans, len(lines))
    rewritten: list[tuple[str, str]] = []  # each unit's code, before and after
    try:
        if units is None:
            raise _Failed("the statements of a plan are not known")
        for (first, last, nested), group in reversed(units):
            prefix = _prefix(first, nested, indent)
            if prefix is None:
                raise _Failed("no room above the statements")
            old = prefix + "".join(lines[first - 1:last])
            new = _rewrite_unit(old, group)
            if not new.startswith(prefix):
                raise _Failed("the rewrite reached beyond its statements")
            lines[first - 1:last] = [new[len(prefix):]]
            rewritten.append((old, new))
        result = "".join(lines)
    except _Failed:
        result = _rewrite_unit(source, [plan for plan, _ in plans])
        rewritten = [(source, result)]
    # The code outside the units is the file's own: only theirs can lose a comment.
    if any(_comments(old) - _comments(new) for old, new in rewritten):
        raise _Failed("the fix would lose a comment")
    return result


def _prefix(first: int, nested: bool, indent: str) -> str | None:
    """What stands in for the lines above a unit: the file's indentation unit
    (libcst takes the first indented block's), one string statement for the
    rest of the lines so that libcst's positions are the file's at the cost
    of one token, and for a class member a block to be in. None when there
    is no room for it."""
    room = first - 1 - nested
    if room < 2:
        return None
    filler = '"""' + "\n" * (room - 3) + '"""\n' if room > 2 else ""
    return f"if 1:\n{indent}pass\n" + filler + ("if 1:\n" if nested else "")


def _units(tree: ast.Module, plans: Sequence[tuple[Plan, Region]], last_line: int
           ) -> list[tuple[Unit, list[Plan]]] | None:
    """The plans grouped by the run of sibling statements that holds the
    lines each one rewrites; None when a plan's lines are not known or not
    within one such run."""
    spans = _statement_spans(tree.body, last_line, None)
    units: list[tuple[int, int, ast.ClassDef | None, list[int]]] = []
    for index, (_, region) in enumerate(plans):
        if region is None:
            return None
        low, high = region
        touched = [span for span in spans if span[0] <= high and low <= span[1]]
        if not touched or touched[0][0] > low or len({id(t[2]) for t in touched}) > 1:
            return None
        units.append((touched[0][0], max(t[1] for t in touched), touched[0][2], [index]))
    units.sort(key=lambda unit: unit[:2])
    merged: list[tuple[int, int, ast.ClassDef | None, list[int]]] = []
    for first, last, parent, indexes in units:
        if merged and first <= merged[-1][1]:
            start, end, _, before = merged.pop()
            first, last, indexes = start, max(end, last), before + indexes
        merged.append((first, last, parent, indexes))
    # Within a unit the plans keep their order: the transformers of one node run in it.
    return [((first, last, parent is not None), [plans[i][0] for i in sorted(indexes)])
            for first, last, parent, indexes in merged]


def _statement_spans(body: list[ast.stmt], end: int, parent: ast.ClassDef | None
                     ) -> list[tuple[int, int, ast.ClassDef | None]]:
    """The first and last line of each statement of a body, decorators
    included, and running to the next statement so that the comments and
    blank lines after it go wherever libcst puts them in the whole module;
    the members of a class with an indented body stand in for the class."""
    starts = [min([s.lineno, *(d.lineno for d in getattr(s, "decorator_list", ()))])
              for s in body]
    ends = [max(start - 1, s.end_lineno or s.lineno) for start, s in zip(starts[1:], body)]
    ends += [max(end, body[-1].end_lineno or body[-1].lineno)] if body else []
    spans: list[tuple[int, int, ast.ClassDef | None]] = []
    for statement, first, last in zip(body, starts, ends):
        if (isinstance(statement, ast.ClassDef) and parent is None
                and statement.body[0].lineno > statement.lineno):
            spans += _statement_spans(statement.body, last, statement)
        else:
            spans.append((first, last, parent))
    return spans


def _default_indent(source: str) -> str:
    """The file's indentation unit, as libcst would find it in the whole file:
    the first indented block's."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.INDENT:
                return token.string
    except (tokenize.TokenError, SyntaxError):
        pass
    return "    "


def _rewrite_unit(source: str, plans: Sequence[Plan]) -> str:
    """The plans, not overlapping, in one visit of one parse; each
    transformer finds its code by its position in ``source``."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise _Failed(f"libcst cannot parse the file: {error.message}") from error
    transformers = [_transformer(source, plan) for plan in plans]
    visitor: cst.CSTTransformer = transformers[0] if len(transformers) == 1 \
        else _Together(transformers)
    # The module was parsed for this visit alone: no need for libcst's defensive copy.
    new = MetadataWrapper(module, unsafe_skip_copy=True).visit(visitor)
    for transformer in transformers:
        if not transformer.done or (isinstance(transformer, ShareSessionAroundLoop)
                                    and transformer.routed != len(transformer.calls)):
            raise _Failed("the code to rewrite was not found")
    return new.code


class _Together(cst.CSTTransformer):
    """Several transformers in one visit: each node's leave goes through those
    of them that rewrite its type, in turn, and they share this visit's
    position metadata."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, transformers: list[Transformer]) -> None:
        super().__init__()
        self.transformers = transformers
        # Our transformers define leave_<Node> methods only; calling those
        # directly skips libcst's per-node matcher bookkeeping, once per transformer.
        self.leaves: dict[str, list[Callable[[Any, Any], Any]]] = {}
        for transformer in transformers:
            for name in vars(type(transformer)):
                if name.startswith("leave_"):
                    self.leaves.setdefault(name, []).append(getattr(transformer, name))

    def visit_Module(self, node: cst.Module) -> bool:
        for transformer in self.transformers:
            transformer.metadata = self.metadata
        return True

    def on_leave(self, original_node: CSTNodeT, updated_node: CSTNodeT
                 ) -> Union[CSTNodeT, cst.RemovalSentinel, cst.FlattenSentinel[CSTNodeT]]:
        updated: Union[CSTNodeT, cst.RemovalSentinel, cst.FlattenSentinel[CSTNodeT]]
        updated = updated_node
        for leave in self.leaves.get(f"leave_{type(original_node).__name__}", ()):
            if not isinstance(updated, cst.CSTNode):
                break  # replaced by several statements: no other plan is about this node
            updated = leave(original_node, updated)
        return updated


def _transformer(source: str, plan: Plan) -> Transformer:
    transformer: Transformer
    lines = lines_of(source)
    if isinstance(plan, WrapPlan):
        transformer = WrapInWith(plan)
    elif isinstance(plan, InlinePlan):
        line, col, end_line, end_col = plan.call
        span = (line, chars(lines, line, col), end_line, chars(lines, end_line, end_col))
        transformer = BindStreamInWith(plan, span)
    elif isinstance(plan, HoistPlan):
        transformer = HoistSessionOutOfLoop(plan)
    elif isinstance(plan, LoopPlan):
        transformer = ShareSessionAroundLoop(plan, _spans(source, plan))
    else:
        assert isinstance(plan, ShortcutPlan)
        start = (plan.line, chars(lines, plan.line, plan.col))
        end = (plan.end_line, chars(lines, plan.end_line, plan.end_col))
        transformer = UseFunctionalCall(start, end)
    return transformer


def _spans(source: str, plan: LoopPlan) -> dict[tuple[int, int, int, int], str]:
    lines = lines_of(source)
    return {
        (c.line, chars(lines, c.line, c.col), c.end_line, chars(lines, c.end_line, c.end_col)):
        c.member for c in plan.calls
    }


def _check(old: str, new: str, fixed: list[Finding], covered: set[tuple[str, int, int]],
           settings: Settings) -> None:
    """The new code compiles, each code is reported fewer times by at least
    the number of its findings the fixes fix (``covered``: fixed along with
    them), and no code more often."""
    try:
        compile(new, "<fixed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        raise _Failed(f"the fixed code would not compile: {error}") from error
    before, after = _reported(old, settings), _reported(new, settings)
    gone = Counter(f.code for f in fixed)
    gone.update(code for code, line, col in covered
                if not any((f.code, f.line, f.col) == (code, line, col) for f in fixed))
    if any(after[code] > before[code] - count for code, count in gone.items()):
        which = "the finding" if len(fixed) == 1 else "a finding"
        raise _Failed(f"{which} is still reported after the fix")
    if any(after[code] > before[code] for code in after):
        raise _Failed("the fix would cause another finding")


def _comments(source: str) -> Counter[str]:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError) as error:
        raise _Failed(f"the fixed code would not compile: {error}") from error
    return Counter(token.string for token in tokens if token.type == tokenize.COMMENT)
