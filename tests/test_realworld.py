"""The engine against hand-labelled windows of real public code.

Each file in ``tests/realworld`` is a window of code nobody on this project
wrote, with its source named on its first line and every leak marked by hand
per the rule pages in ``docs/rules`` (``# expect: CCL001:9``), whatever the tool said. CCL901 is off
by default, so it counts only in a window that opts in with a
``# realworld: CCL901`` comment.

Two checks: each window reports exactly its labels, and the corpus as a whole
keeps precision >= 0.95 and recall >= 0.90 (a finding is a true positive when
a label has the same line and code).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from expectations import Position, expected

from flake8_connclose.engine import check_source

CORPUS = Path(__file__).parent / "realworld"
WINDOWS = sorted(p.name for p in CORPUS.glob("*.py"))
_OPT_IN = re.compile(r"^#\s*realworld:\s*CCL901\b", re.MULTILINE)
_SOURCE = re.compile(r"^# Source: \S+/\S+ \S")


def _source(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def _reported(source: str) -> set[Position]:
    selected = bool(_OPT_IN.search(source))
    return {
        (f.line, f.col + 1, f.code)
        for f in check_source(source)
        if f.code != "CCL901" or selected
    }


def test_corpus_is_large_enough_to_mean_something() -> None:
    labels = sum(len(expected(_source(name))) for name in WINDOWS)
    assert len(WINDOWS) >= 25
    assert labels >= 40


@pytest.mark.parametrize("name", WINDOWS)
def test_window_names_its_source(name: str) -> None:
    assert _SOURCE.match(_source(name)), "first line must be '# Source: owner/repo path ...'"


@pytest.mark.parametrize("name", WINDOWS)
def test_window_reports_exactly_its_labels(name: str) -> None:
    source = _source(name)
    assert _reported(source) == expected(source)


def test_precision_and_recall_meet_the_bar() -> None:
    true_pos = false_pos = false_neg = 0
    for name in WINDOWS:
        source = _source(name)
        got = {(line, code) for line, _, code in _reported(source)}
        want = {(line, code) for line, _, code in expected(source)}
        true_pos += len(got & want)
        false_pos += len(got - want)
        false_neg += len(want - got)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    summary = (
        f"{len(WINDOWS)} windows: tp={true_pos} fp={false_pos} fn={false_neg} "
        f"precision={precision:.3f} recall={recall:.3f}"
    )
    assert precision >= 0.95, summary
    assert recall >= 0.90, summary
