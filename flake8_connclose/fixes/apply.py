"""The one shared applier: plan each finding's fix, rewrite with libcst, and
keep the rewrite only if every guarantee holds.

The call path of a fix, step by step:

1. A front end checks the file (``engine.check``: its selection and `# noqa`)
   and calls ``apply_fixes(source, findings, unsafe, settings, recheck)``.
2. ``_one_pass`` plans every finding: ``BY_CODE[code].plan(...)`` runs the
   rule's own planner (``flake8_connclose.planning``, pure ``ast``), which
   returns a ``Plan`` or a ``NotFixable`` with the reason.
3. ``_batch_pass`` keeps the plans whose ``region`` (the lines they rewrite)
   do not overlap; ``_rewrite_all`` cuts the file into units (a top-level
   statement or a member of a top-level class) holding those lines, and
   ``_rewrite_unit`` parses each unit with libcst once and runs the plans'
   rewriters (``rewriters.rewriter_for``, found by plan type) in one visit.
4. ``_check`` holds the guarantees: the new code compiles, the fixed findings
   are gone and none is new, no comment is lost. A batch that fails goes
   again one fix at a time (``_pass_one_by_one``), dropping the fix that fails.
5. The imports the plans need (``Plan.imports``) are added once, at the end
   of a pass; the pass repeats on ``recheck(new source)`` until one fixes
   nothing, which is the idempotency check.

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
import warnings
from collections import Counter
from functools import lru_cache, partial
from typing import Any, Callable, Sequence, Union

import libcst as cst
from libcst._types import CSTNodeT  # the type variable of libcst's own on_leave
from libcst.metadata import MetadataWrapper, PositionProvider

from flake8_connclose.analysis import Analysis
from flake8_connclose.engine import analysed, check_analysis, check_source, may_have_findings
from flake8_connclose.findings import Finding
from flake8_connclose.fixes.plans import plan_for
from flake8_connclose.fixes.result import FixResult, NotFixed
from flake8_connclose.fixes.rewrite import Rewriter, Unexpected
from flake8_connclose.fixes.rewriters import rewriter_for
from flake8_connclose.planning.common import NotFixable, Plan
from flake8_connclose.settings import DEFAULT, Settings
from flake8_connclose.sources import Source, first_line, located_source

_BOM = "\ufeff"
Recheck = Callable[[str], Sequence[Finding]]
Region = Union[tuple[int, int], None]  # the first and last line of a fix's statements
Unit = tuple[int, int, bool]  # first and last line of sibling statements; in a class body


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


def _apply_all(source: str, findings: Sequence[Finding], unsafe: bool,
               settings: Settings, recheck: Recheck) -> tuple[FixResult, bool]:
    """Passes until one fixes nothing: a fix that rewrites a whole loop moves
    the findings inside it, which the next pass sees afresh. That last pass
    is the second application the guarantees ask for, so the result is
    settled exactly when the passes ran out before the fixes did. A pass
    that fixes something leaves fewer findings (the checks allow no new
    one), so one pass per finding always suffices: sessions stacked deep in
    one function are fixed one pass each, and the limit costs nothing."""
    fixed: list[Finding] = []
    result = _one_pass(source, findings, unsafe, settings)
    for _ in range(len(findings) + 1):
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
    chosen: list[tuple[Finding, Plan, tuple[int, int]]] = []
    not_fixed: list[NotFixed] = []
    covered: set[tuple[str, int, int]] = set()
    deferred = False
    for finding in sorted(findings, key=lambda f: (f.line, f.col), reverse=True):
        if (finding.code, finding.line, finding.col) in covered:
            continue
        plan = plan_for(finding, analysis, source, unsafe)
        if isinstance(plan, NotFixable):
            not_fixed.append(NotFixed(finding, plan.reason))
            continue
        region = plan.region
        if any(_overlap(region, other) for _, _, other in chosen):
            deferred = True  # the next pass plans it afresh on the new code
            continue
        chosen.append((finding, plan, region))
        covered |= _covered(source, finding, plan)
    if not chosen and not deferred:
        return FixResult(source, [], sorted(not_fixed))
    if not chosen:
        return None
    try:
        new = _rewrite_all(source, tree, [(plan, region) for _, plan, region in chosen])
        _check(source, new, [f for f, _, _ in chosen], covered, settings)
    except _Failed:
        return None
    imports = set().union(*(plan.imports for _, plan, _ in chosen))
    if imports:
        new = _add_imports(new, imports)
    fixed = [f for f, _, _ in chosen]
    fixed += [f for f in findings if (f.code, f.line, f.col) in covered and f not in fixed]
    # A deferred finding is fixed by a later pass, or reported by the last.
    return FixResult(new, sorted(fixed), [] if deferred else sorted(not_fixed))


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
    plan = plan_for(finding, analysis, source, unsafe)
    if isinstance(plan, NotFixable):
        raise _Failed(plan.reason)
    new = _rewrite_all(source, tree, [(plan, plan.region)])
    _check(source, new, [finding], set(), settings)
    return new, set(plan.imports), _covered(source, finding, plan)


def _covered(source: str, finding: Finding, plan: Plan) -> set[tuple[str, int, int]]:
    """The other findings (code, line, character col) the plan fixes too."""
    located = located_source(source)
    return {(finding.code, line, located.chars(line, col)) for line, col in plan.also_fixes}


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
    return Counter(f.code for f in check_analysis(analysis, located_source(source).lines))


def _rewrite_all(source: str, tree: ast.Module, plans: Sequence[tuple[Plan, Region]]) -> str:
    """Carry out the plans, each group of them in one visit of one parse of
    only the statements they touch (a top-level statement, or a member of a
    top-level class): a rewrite never reaches beyond its statements, and
    libcst's parse and positions cost far more than the rest of a fix. The
    whole module is the reference, and the fallback for anything unusual."""
    lines = list(located_source(source).lines)
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
    if any(_loses_a_comment(old, new) for old, new in rewritten):
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
    starts = [first_line(s) for s in body]
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
    except RecursionError as error:
        raise _Failed("the code is nested too deeply for libcst") from error
    located = Source(source)
    rewriters = [rewriter_for(plan, located) for plan in plans]
    visitor: cst.CSTTransformer = rewriters[0] if len(rewriters) == 1 else _Together(rewriters)
    try:
        # The module was parsed for this visit alone: no need for libcst's defensive copy.
        new = MetadataWrapper(module, unsafe_skip_copy=True).visit(visitor)
    except (RecursionError, cst.CSTValidationError, Unexpected) as error:
        raise _Failed(f"the rewrite could not be made here: {error}") from error
    if not all(rewriter.complete for rewriter in rewriters):
        raise _Failed("the code to rewrite was not found")
    return new.code


def _own_leaves(rewriter: type) -> set[str]:
    """The leave_<Node> methods a rewriter (or a rewriter base) defines, not
    libcst's do-nothing defaults for every node type."""
    return {name for klass in rewriter.__mro__ if issubclass(klass, Rewriter)
            for name in vars(klass) if name.startswith("leave_")}


class _Together(cst.CSTTransformer):
    """Several transformers in one visit: each node's leave goes through those
    of them that rewrite its type, in turn, and they share this visit's
    position metadata."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, transformers: list[Rewriter]) -> None:  # type: ignore[type-arg]
        super().__init__()
        self.transformers = transformers
        # Our transformers define leave_<Node> methods only; calling those
        # directly skips libcst's per-node matcher bookkeeping, once per transformer.
        self.leaves: dict[str, list[Callable[[Any, Any], Any]]] = {}
        for transformer in transformers:
            for name in _own_leaves(type(transformer)):
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


def _check(old: str, new: str, fixed: list[Finding], covered: set[tuple[str, int, int]],
           settings: Settings) -> None:
    """The new code compiles, each code is reported fewer times by at least
    the number of its findings the fixes fix (``covered``: fixed along with
    them), and no code more often."""
    try:
        with warnings.catch_warnings():  # the user's own SyntaxWarnings are not ours to print
            warnings.simplefilter("ignore")
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


def _loses_a_comment(old: str, new: str) -> bool:
    """Is a comment of ``old`` missing from ``new``? A comment is the end of
    a line from a `#` on: when every such line end of ``old`` is still in
    ``new``, none is, and the tokenizer (most of a small fix's cost) need
    not say; when one is not, it says exactly."""
    if not _ends_from_hash(old) - _ends_from_hash(new):
        return False
    return bool(_comments(old) - _comments(new))


def _ends_from_hash(source: str) -> Counter[str]:
    return Counter(line[line.index("#"):].rstrip() for line in source.splitlines() if "#" in line)


def _comments(source: str) -> Counter[str]:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError) as error:
        raise _Failed(f"the fixed code would not compile: {error}") from error
    return Counter(token.string for token in tokens if token.type == tokenize.COMMENT)
