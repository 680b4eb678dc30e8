"""`# noqa` exactly as flake8 reads it, so one comment serves both faces.

The expressions and the line mapping follow flake8's `defaults.py`
(NOQA_INLINE_REGEXP, NOQA_FILE), `violation.py` (`is_inline_ignored`) and
`processor.py` (`_noqa_line_mapping`), quirks included: `#noqa` without the
space is not a noqa, `# noqa:E501` with an unmatched code list is blanket only
when the list does not parse (`# noqa:CCL`, `# noqa : CCL001`), and codes
compare case-sensitively (`# noqa: ccl001` suppresses nothing).
"""

from __future__ import annotations

import ast
import re
import tokenize
from typing import Sequence

from flake8_connclose.findings import Finding
from flake8_connclose.sources import first_line

NOQA_INLINE = re.compile(
    r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
NOQA_FILE = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)
_SEPARATOR = re.compile(r"[,\s]")
_ANY_NOQA = re.compile(r"# noqa", re.IGNORECASE)
_ANY_FILE_NOQA = re.compile(r"# flake8[:=]", re.IGNORECASE)


def file_is_exempt(lines: Sequence[str]) -> bool:
    """A line that is only `# flake8: noqa` exempts the whole file."""
    # One search of the whole text spares most files a match per line.
    return _ANY_FILE_NOQA.search("".join(lines)) is not None and \
        any(NOQA_FILE.match(line) for line in lines)


def suppresses(line: str, code: str) -> bool:
    """Does the noqa comment in ``line`` (if any) cover ``code``?"""
    match = NOQA_INLINE.search(line)
    if match is None:
        return False
    codes_text = match.group("codes")
    if codes_text is None:
        return True
    codes = tuple(c.strip() for c in _SEPARATOR.split(codes_text) if c.strip())
    return code.startswith(codes)


def without_suppressed(findings: list[Finding], lines: Sequence[str],
                       tree: ast.Module | None = None) -> list[Finding]:
    """The findings that no `# noqa` covers. Tokenizing costs as much as the
    analysis on a big file, so it is done only when there is a finding to
    filter and a noqa comment that could filter it; given the ``tree``, only
    the innermost statement that holds a finding's line is tokenized, and
    only if it has a noqa comment: a token run never crosses a statement."""
    if not findings or not _ANY_NOQA.search("".join(lines)):
        return findings
    if tree is None:
        whole = _noqa_lines(lines)
        return [f for f in findings if not suppresses(_line_for(f.line, whole, lines), f.code)]
    mappings: dict[tuple[int, int], dict[int, str]] = {}
    kept = []
    for finding in findings:
        span = _statement_holding(tree, finding.line)
        if span is None:
            mapping: dict[int, str] = {}  # outside every statement: its own line
        elif span in mappings:
            mapping = mappings[span]
        else:
            first, last = span
            chunk = lines[first - 1:last]
            runs = _noqa_lines(chunk) if any(_ANY_NOQA.search(line) for line in chunk) else {}
            mapping = mappings[span] = {first - 1 + n: text for n, text in runs.items()}
        if not suppresses(_line_for(finding.line, mapping, lines), finding.code):
            kept.append(finding)
    return kept


def _statement_holding(tree: ast.Module, line: int) -> tuple[int, int] | None:
    """The first line (decorators included) and the last line of the
    innermost statement whose lines hold ``line``: a simple statement, or a
    compound one when ``line`` is its header's."""
    span = None
    body: list[ast.stmt] = tree.body
    while body:
        for stmt in body:
            first = first_line(stmt)
            if first <= line <= (stmt.end_lineno or stmt.lineno):
                span = first, stmt.end_lineno or stmt.lineno
                body = _statements_in(stmt)
                break
        else:
            break
    return span


def _statements_in(stmt: ast.stmt) -> list[ast.stmt]:
    """The statements of a compound statement's blocks, in order."""
    inner: list[ast.stmt] = []
    for name in ("body", "orelse", "finalbody"):
        value = getattr(stmt, name, None)
        if isinstance(value, list):
            inner += value
    for block in (*getattr(stmt, "handlers", ()), *getattr(stmt, "cases", ())):
        inner += block.body
    return sorted(inner, key=lambda s: s.lineno)


def _line_for(line: int, mapping: dict[int, str], lines: Sequence[str]) -> str:
    """flake8 searches the whole multi-line token group (a triple-quoted
    string, a backslash continuation); without one, the physical line."""
    if line in mapping:
        return mapping[line]
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _noqa_lines(lines: Sequence[str]) -> dict[int, str]:
    """flake8's `_noqa_line_mapping`: each line number to the text of the
    token run it belongs to, the runs being cut at NL/NEWLINE tokens."""
    feed = iter(lines)
    mapping: dict[int, str] = {}
    first, last = len(lines) + 2, -1
    try:
        for token in tokenize.generate_tokens(lambda: next(feed, "")):
            if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            first, last = min(first, token.start[0]), max(last, token.end[0])
            if token.type in (tokenize.NL, tokenize.NEWLINE):
                joined = "".join(lines[first - 1:last])
                mapping.update(dict.fromkeys(range(first, last + 1), joined))
                first, last = len(lines) + 2, -1
    except (tokenize.TokenError, SyntaxError):
        return {}
    return mapping
