"""Valid code is never E999: code nested deeper than Python's recursion limit.

`ast.parse` builds trees far deeper than the interpreter's recursion limit
lets a recursive walk go (a flat `a + a + ... + a` is a left-leaning chain of
`BinOp`s, one level per term), so every walk of the engine is a loop.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from expectations import expected, reported

from flake8_connclose.cli import main
from flake8_connclose.engine import check_tree
from flake8_connclose.plugin import Plugin
from flake8_connclose.sources import Source


def _long_sum(terms: int) -> str:
    return " + ".join(["a"] * terms)


def _module(expression: str) -> str:
    return (
        "import requests\n\n\n"
        "def total(a):\n"
        f"    return {expression}\n\n\n"
        "def leak(url):\n"
        "    s = requests.Session()  # expect: CCL001:9\n"
        "    return s.get(url).text\n"
    )


def _parse_deep(source: str) -> ast.Module:
    """What `ast.parse` makes of it with room to spare (the C parser's own
    limit scales with the recursion limit)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 40_000))
    try:
        return ast.parse(source)
    finally:
        sys.setrecursionlimit(limit)


def test_a_500_term_expression_is_checked() -> None:
    source = _module(_long_sum(500))
    assert reported(source) == expected(source)


@pytest.mark.parametrize("terms", [500, 5000])
def test_the_engine_walks_a_deep_tree_within_the_default_limit(terms: int) -> None:
    source = _module(_long_sum(terms))
    tree = _parse_deep(source)
    findings = check_tree(tree, Source(source).lines)
    assert [(f.line, f.code) for f in findings] == [(9, "CCL001")]


@pytest.mark.parametrize("expression", [
    # A long fallback chain on `self`, read through every alternative.
    " if a else ".join(["a"] * 400) + " if a else requests.Session()",
    # A long `or` chain and a deep attribute chain.
    " or ".join(["a"] * 2000),
    "a" + ".b" * 2000,
], ids=["if-chain", "or-chain", "attribute-chain"])
def test_long_chains_in_assignments_are_walked(expression: str) -> None:
    source = (
        "import requests\n\n\n"
        "class Api:\n"
        "    def __init__(self, a):\n"
        f"        self.x = {expression}\n"
        f"        y = {expression}\n"
        "        print(y)\n"
    )
    tree = _parse_deep(source)
    check_tree(tree, Source(source).lines)  # no RecursionError


def test_a_stream_under_deeply_nested_calls_is_judged() -> None:
    depth = 150  # the parser allows 200 nested parentheses
    call = "f(" * depth + "requests.get(u, stream=True)" + ")" * depth
    source = f"import requests\n\n\ndef g(u, f):\n    return {call}\n"
    assert reported(source) == set()  # returned through the calls: it escapes


def test_connclose_reports_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for terms in (500, 5000):
        path = tmp_path / f"deep{terms}.py"
        path.write_text(_module(_long_sum(terms)), encoding="utf-8")
    code = main([str(tmp_path / "deep500.py")])
    out = capsys.readouterr().out
    assert code == 1 and "E999" not in out and ":9:9: CCL001" in out
    # 5000 terms are past what Python itself compiles (`compile` raises
    # RecursionError too): a file error, never a traceback.
    main([str(tmp_path / "deep5000.py")])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err


def test_the_flake8_plugin_checks_a_deep_tree() -> None:
    """As flake8 calls it. (A real `flake8` run on this file stops earlier:
    pyflakes' own recursive walk fails on 500 terms, which flake8 reports as
    pyflakes' failure; none of ours.)"""
    source = _module(_long_sum(5000))
    tree = _parse_deep(source)
    results = list(Plugin(tree, source.splitlines(keepends=True)).run())
    assert [(line, col, text.split()[0]) for line, col, text, _ in results] == [
        (9, 8, "CCL001")]


def test_flake8_blames_no_failure_on_the_plugin(tmp_path: Path) -> None:
    path = tmp_path / "deep.py"
    path.write_text(_module(_long_sum(500)), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "CCL", str(path)],
        capture_output=True, text=True,
    )
    assert "Traceback" not in proc.stderr
    assert "connclose" not in proc.stdout + proc.stderr
