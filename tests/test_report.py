"""The output formats, read back field by field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import run

from flake8_connclose import __version__, report
from flake8_connclose.report import Diagnostic
from flake8_connclose.rules import BY_CODE, RULES

# A non-ASCII line before the call: columns are counted in characters.
SOURCE = """\
import requests


def f(urls):
    for u in urls:
        é = requests.get(u)
"""


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(SOURCE, encoding="utf-8")
    # A syntax error whose position every supported Python reports alike.
    (tmp_path / "pkg" / "bad.py").write_text("import requests\n\ndef f(:\n    pass\n")
    return tmp_path


def _output(capsys: pytest.CaptureFixture[str], fmt: str) -> str:
    result = run(capsys, "--output-format", fmt, "pkg")
    assert result.code == 1 and result.err == ""
    return result.out


def test_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad, finding = json.loads(_output(capsys, "json"))
    assert finding == {
        "path": "pkg/mod.py", "line": 6, "column": 13, "end_line": 6, "end_column": 28,
        "code": "CCL003", "message": finding["message"], "fixable": finding["fixable"],
    }
    assert finding["message"].startswith("`requests.get()` in a loop")
    assert isinstance(finding["fixable"], bool)
    assert bad["path"] == "pkg/bad.py" and bad["code"] == "E999"
    assert (bad["line"], bad["column"]) == (3, 7)
    assert bad["message"].startswith("SyntaxError: ")
    assert bad["fixable"] is False


def test_sarif(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(_output(capsys, "sarif"))
    assert document["version"] == "2.1.0"
    assert document["$schema"] == report.SARIF_SCHEMA
    (run_,) = document["runs"]
    driver = run_["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("connclose", __version__)
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [rule.code for rule in RULES] + ["E902", "E999"]
    for descriptor, rule in zip(rules, RULES):
        _check_rule_descriptor(descriptor, rule.code)
    bad, finding = run_["results"]
    assert finding["ruleId"] == "CCL003"
    assert rules[finding["ruleIndex"]]["id"] == "CCL003"
    assert finding["level"] == "warning"
    assert finding["message"]["text"].startswith("`requests.get()` in a loop")
    (location,) = finding["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "pkg/mod.py"},
        "region": {"startLine": 6, "startColumn": 13, "endLine": 6, "endColumn": 28},
    }
    assert (bad["ruleId"], bad["level"]) == ("E999", "error")
    assert rules[bad["ruleIndex"]]["id"] == "E999"


def _check_rule_descriptor(descriptor: dict[str, Any], code: str) -> None:
    rule = BY_CODE[code]
    assert descriptor["name"] == rule.name
    assert descriptor["shortDescription"] == {"text": rule.summary}
    assert descriptor["help"]["markdown"] == rule.docs_markdown()
    assert descriptor["defaultConfiguration"]["enabled"] is rule.default_enabled
    # SARIF's helpUri is an absolute URI; a docs path relative to the
    # repository is carried by `help` instead.
    if rule.docs_url.startswith("https://"):
        assert descriptor["helpUri"] == rule.docs_url
    else:
        assert "helpUri" not in descriptor


def test_sarif_uri_of_a_file_outside_the_working_directory(tmp_path: Path) -> None:
    outside = tmp_path.parent / "elsewhere dir" / "m.py"
    d = Diagnostic(str(outside), 1, 1, "CCL001", "m", 1, 2)
    (result,) = json.loads(report.sarif([d]))["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == outside.as_uri() and "%20" in uri


def test_github(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad, finding = _output(capsys, "github").splitlines()
    assert finding.startswith(
        "::error file=pkg/mod.py,line=6,col=13,endLine=6,endColumn=28,title=CCL003::"
        "CCL003 `requests.get()` in a loop")
    assert bad.startswith(
        "::error file=pkg/bad.py,line=3,col=7,endLine=3,endColumn=7,title=E999::E999 SyntaxError: ")


def test_github_escapes_what_the_workflow_command_syntax_reserves() -> None:
    d = Diagnostic("a,b:c%.py", 1, 2, "CCL001", "50% done\nnext: line, too", 1, 3)
    assert report.github([d]) == (
        "::error file=a%2Cb%3Ac%25.py,line=1,col=2,endLine=1,endColumn=3,title=CCL001::"
        "CCL001 50%25 done%0Anext: line, too\n"
    )


def test_text_and_summary(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = _output(capsys, "text").splitlines()
    assert lines[0].startswith("pkg/bad.py:3:7: E999 SyntaxError: ")
    assert lines[1].startswith("pkg/mod.py:6:13: CCL003 `requests.get()` in a loop")
    assert lines[2].startswith("Found 2 findings")


@pytest.mark.parametrize("fixable, expected", [
    ([], "All checks passed!\n"),
    ([False], "Found 1 finding.\n"),
    ([True, False], "Found 2 findings (1 fixable with --fix).\n"),
])
def test_summary(fixable: list[bool], expected: str) -> None:
    diagnostics = [Diagnostic("a.py", n, 1, "CCL001", "m", n, 2, f) for n, f in enumerate(fixable)]
    assert report.summary(diagnostics) == expected


def test_colour_and_source_with_tabs() -> None:
    d = Diagnostic("a.py", 3, 6, "CCL002", "msg", 3, 9, source="\tx = r(u)\n")
    plain = report.text([d], report.Style(color=False, show_source=True))
    assert plain == "a.py:3:6: CCL002 msg\n\tx = r(u)\n\t    ^\n"
    coloured = report.text([d], report.Style(color=True))
    assert coloured == "\033[1ma.py\033[0m:3:6: \033[1;31mCCL002\033[0m msg\n"


def test_statistics_name_rules_and_file_errors() -> None:
    diagnostics = [
        Diagnostic("a.py", 1, 1, "CCL003", "m", 1, 2),
        Diagnostic("b.py", 1, 1, "CCL003", "m", 1, 2),
        Diagnostic("c.py", 1, 1, "E902", "FileNotFoundError: No such file", 1, 1),
    ]
    assert report.statistics(diagnostics) == (
        "2     CCL003 functional-call-in-loop\n1     E902 FileNotFoundError: No such file\n"
    )
