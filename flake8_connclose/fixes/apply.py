"""The one shared applier: plan each finding's fix, rewrite with libcst, and
keep the rewrite only if every guarantee holds.

The call path of a fix, step by step:

1. A front end checks the file (``engine.check``: its selection and `# noqa`)
   and calls ``apply_fixes(source, findings, unsafe, settings, recheck)``.
2. ``_one_pass`` plans every finding: ``BY_CODE[code].plan(...)`` runs the
   rule's own planner (``flake8_connclose.planning``, pure ``ast``), which
   returns a ``Plan`` or a ``NotFixable`` with the reason.
3. ``_batch_pass`` keeps the plans whose ``region`` (the lines they rewrite)
   do not overlap; ``_rewrite_all`` cuts the file into units (the run of
   sibling statements, in the innermost block, that holds those lines), and
   ``_rewrite_unit`` parses each unit with libcst once and runs the plans'
   rewriters (``rewriters.rewriter_for``, found by plan type) in one visit,
   which enters only the nodes that hold what a plan names.
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
from typing import Any, Callable, Mapping, Sequence, Union

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
# The indentation of the header of each block a unit is in, outermost first.
Blocks = tuple[str, ...]
Unit = tuple[int, int, Blocks]  # first and last line of sibling statements, in their blocks


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
    only the statements they touch (the run of sibling statements, in the
    innermost block, that holds a plan's lines): a rewrite never reaches
    beyond its statements, and libcst's parse and positions cost far more
    than the rest of a fix. The whole module is the reference, and the
    fallback for anything unusual."""
    located = located_source(source)
    lines = list(located.lines)
    indent = _default_indent(source)
    units = _units(tree, plans, located)
    rewritten: list[tuple[str, str]] = []  # each unit's code, before and after
    try:
        if units is None:
            raise _Failed("the statements of a plan are not known")
        for (first, last, blocks), group in reversed(units):
            prefix = _prefix(first, blocks, indent)
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


def _prefix(first: int, blocks: Blocks, indent: str) -> str | None:
    """What stands in for the lines above a unit: the file's indentation unit
    (libcst takes the first indented block's), one string statement for the
    rest of the lines so that libcst's positions are the file's at the cost
    of one token, and a block to be in for each block the unit is in, at its
    header's indentation. None when there is no room for it."""
    room = _room(first, blocks)
    if room < 2:
        return None
    filler = '"""' + "\n" * (room - 3) + '"""\n' if room > 2 else ""
    return f"if 1:\n{indent}pass\n" + filler + "".join(f"{header}if 1:\n" for header in blocks)


def _room(first: int, blocks: Blocks) -> int:
    """The lines above a unit left for the filler of its prefix."""
    return first - 1 - len(blocks)


def _units(tree: ast.Module, plans: Sequence[tuple[Plan, Region]], located: Source,
           narrow: bool = True) -> list[tuple[Unit, list[Plan]]] | None:
    """The plans grouped by the run of sibling statements that holds the
    lines each one rewrites; None when a plan's lines are not known or not
    within one such run. ``narrow``: in the innermost block that holds them,
    else at the top level (a member of a top-level class stands in for its
    class), which two units one inside the other fall back to."""
    units: list[tuple[Unit, list[int]]] = []
    end = len(located.lines)
    for index, (_, region) in enumerate(plans):
        unit = None if region is None else _unit_of(tree.body, region, end, (), located, narrow)
        if unit is None:
            return None
        units.append((unit, [index]))
    units.sort(key=lambda unit: unit[0][:2])
    merged: list[tuple[Unit, list[int]]] = []
    for unit, indexes in units:
        if merged and unit[0] <= merged[-1][0][1]:
            before, earlier = merged.pop()
            if before[2] != unit[2]:  # not siblings: one holds the other
                return _units(tree, plans, located, narrow=False) if narrow else None
            unit = (before[0], max(before[1], unit[1]), unit[2])
            indexes = earlier + indexes
        merged.append((unit, indexes))
    # Within a unit the plans keep their order: the transformers of one node run in it.
    return [(unit, [plans[i][0] for i in sorted(indexes)]) for unit, indexes in merged]


def _unit_of(body: list[ast.stmt], region: tuple[int, int], end: int, blocks: Blocks,
             located: Source, narrow: bool) -> Unit | None:
    """The run of statements of ``body`` (in ``blocks``) that holds the
    region's lines, or of a block within one of them that holds them all.
    Each statement runs to the next, so that the comments and blank lines
    after it go wherever libcst puts them in the whole block."""
    low, high = region
    starts = [first_line(s) for s in body]
    ends = [max(start - 1, s.end_lineno or s.lineno) for start, s in zip(starts[1:], body)]
    ends.append(max(end, body[-1].end_lineno or body[-1].lineno))
    touched = [i for i, (first, last) in enumerate(zip(starts, ends))
               if first <= high and low <= last]
    if not touched or starts[touched[0]] > low:
        return None
    first, last = starts[touched[0]], ends[touched[-1]]
    if len(touched) == 1:
        stmt = body[touched[0]]
        # A top-level class's members stand in for it, as always.
        wanted = narrow or (not blocks and isinstance(stmt, ast.ClassDef))
        inside = (*blocks, _indentation(stmt, located))
        for block, block_end in _indented_blocks(stmt, last, located) if wanted else ():
            inner = _unit_of(block, region, block_end, inside, located, narrow)
            if inner is not None and _room(inner[0], inner[2]) >= 2:
                return inner
    return first, last, blocks


def _indented_blocks(stmt: ast.stmt, last: int, located: Source
                     ) -> list[tuple[list[ast.stmt], int]]:
    """The statement lists of a compound statement (whose lines end at
    ``last``) that are indented blocks: on lines of their own, deeper than its
    header (not `if c: x`). Each with the line its last statement runs to:
    the line above the next block's header."""
    parts = _blocks(stmt, located)
    ends = [header - 1 for _, header in parts[1:]] + [last]
    return [(block, end) for (block, _), end in zip(parts, ends)
            if block[0].col_offset > stmt.col_offset and _starts_its_line(block[0], located)]


def _blocks(stmt: ast.stmt, located: Source) -> list[tuple[list[ast.stmt], int]]:
    """Each statement list of a compound statement, in the order of the
    source, with the line of its header; an `elif`'s are the `if`'s."""
    body = getattr(stmt, "body", None)
    if not isinstance(body, list) or isinstance(stmt, ast.Match):
        return []  # a simple statement; a `match`, whose blocks are inside each `case`
    parts: list[tuple[list[ast.stmt], int]] = [(body, stmt.lineno)]
    parts += [(handler.body, handler.lineno) for handler in getattr(stmt, "handlers", ())]
    orelse: list[ast.stmt] = getattr(stmt, "orelse", None) or []
    if len(orelse) == 1 and isinstance(orelse[0], ast.If) \
            and orelse[0].col_offset == stmt.col_offset:  # an `elif`
        return parts + _blocks(orelse[0], located)
    for block in (orelse, getattr(stmt, "finalbody", None) or []):
        if block:
            parts.append((block, _header_above(block[0], stmt, located)))
    return parts


def _header_above(first: ast.stmt, stmt: ast.stmt, located: Source) -> int:
    """The line of the header (`else:`, `finally:`) of the block
    that starts with ``first``: its own line when it is not on a line of its
    own, else the nearest line above that holds code."""
    if not _starts_its_line(first, located):
        return first.lineno
    line = first_line(first) - 1
    while line > stmt.lineno and located.line(line).strip(" \t\f\r\n")[:1] in ("", "#"):
        line -= 1
    return line


def _starts_its_line(stmt: ast.stmt, located: Source) -> bool:
    text = located.line(stmt.lineno)
    return not text[:located.chars(stmt.lineno, stmt.col_offset)].strip(" \t\f")


def _indentation(stmt: ast.stmt, located: Source) -> str:
    text = located.line(stmt.lineno)
    return text[:len(text) - len(text.lstrip(" \t\f"))]


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
        visitor.metadata = {PositionProvider: positions(module)}
        new = module.visit(visitor)
    except (RecursionError, cst.CSTValidationError, Unexpected) as error:
        raise _Failed(f"the rewrite could not be made here: {error}") from error
    if not all(rewriter.complete for rewriter in rewriters):
        raise _Failed("the code to rewrite was not found")
    return new.code


def positions(module: cst.Module) -> Mapping[cst.CSTNode, object]:
    """libcst's PositionProvider of a module, from the provider itself:
    resolved through a MetadataWrapper, it also costs a visit of every node
    for the batchable providers asked for, even when none is (a third of a
    small rewrite's cost)."""
    # The module was parsed for this visit alone: no need for libcst's defensive copy.
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    generate = getattr(PositionProvider(), "_gen", None)
    return generate(wrapper) if generate is not None else wrapper.resolve(PositionProvider)


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

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Module):
            return super().on_visit(node)
        return any(transformer.reaches(node) for transformer in self.transformers)

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
            # The tree the checks below analyse: compiled, not parsed again.
            compile(analysed(new, settings)[0], "<fixed>", "exec", dont_inherit=True)
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
