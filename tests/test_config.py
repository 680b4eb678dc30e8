"""`[tool.connclose]`: discovery, precedence, every key, every mistake."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from cli_helpers import LOOP, run

from flake8_connclose import config

MIXED = """\
import requests

SESSION = requests.Session()


def f(urls):
    s = requests.Session()
    for u in urls:
        requests.get(u)
    return s.get(urls[0]).text
"""


def _project(root: Path, table: str, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n[tool.connclose]\n{table}")
    for relative, text in (files or {"mod.py": MIXED}).items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def _codes(capsys: pytest.CaptureFixture[str], *args: str) -> set[str]:
    return {code for *_, code in run(capsys, "--output-format", "json", *args).positions()}


# -- discovery -------------------------------------------------------------------

def test_found_by_walking_up_from_the_first_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    _project(tmp_path, 'select = ["CCL003"]\n', {"src/pkg/mod.py": MIXED})
    # A pyproject.toml without our table is passed over, as ruff passes over
    # one without [tool.ruff].
    (tmp_path / "src" / "pyproject.toml").write_text("[project]\nname = 'inner'\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert _codes(capsys, str(tmp_path / "src" / "pkg")) == {"CCL003"}
    assert _codes(capsys, str(tmp_path / "src" / "pkg" / "mod.py")) == {"CCL003"}


def test_find_returns_the_nearest_table(tmp_path: Path) -> None:
    _project(tmp_path, "")
    inner = _project(tmp_path / "inner", "")
    assert config.find(inner / "deeper") == inner / "pyproject.toml"
    assert config.find(tmp_path) == tmp_path / "pyproject.toml"


def test_stdin_looks_up_from_its_filename(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    _project(tmp_path / "proj", 'select = ["CCL001"]\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(MIXED.encode())))
    assert _codes(capsys, "--stdin-filename", "proj/mod.py", "-") == {"CCL001"}


def test_isolated_and_config(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, 'select = ["CCL003"]\n')
    (tmp_path / "other.toml").write_text('[tool.connclose]\nselect = ["CCL001"]\n')
    monkeypatch.chdir(tmp_path)
    assert _codes(capsys, "mod.py") == {"CCL003"}
    assert _codes(capsys, "--isolated", "mod.py") == {"CCL001", "CCL003"}
    assert _codes(capsys, "--config", "other.toml", "mod.py") == {"CCL001"}


# -- precedence --------------------------------------------------------------------

@pytest.mark.parametrize("table, args, codes", [
    ('select = ["CCL003"]\n', [], {"CCL003"}),
    ('select = ["CCL003"]\n', ["--select", "CCL001"], {"CCL001"}),
    ('ignore = ["CCL003"]\n', [], {"CCL001"}),
    ('ignore = ["CCL003"]\n', ["--ignore", "CCL001"], {"CCL003"}),
    ('ignore = ["CCL003"]\n', ["--ignore", ""], {"CCL001", "CCL003"}),
    ('extend-select = ["CCL901"]\n', [], {"CCL001", "CCL003", "CCL901"}),
    ('select = ["CCL003"]\nextend-select = ["CCL901"]\n', ["--extend-select", "CCL001"],
     {"CCL001", "CCL003", "CCL901"}),
    ('select = ["CCL"]\n', [], {"CCL001", "CCL003"}),
])
def test_command_line_wins_and_extend_adds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    table: str, args: list[str], codes: set[str],
) -> None:
    _project(tmp_path, table)
    monkeypatch.chdir(tmp_path)
    assert _codes(capsys, *args, "mod.py") == codes


def test_exclude_patterns_are_relative_to_the_config_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = {name: LOOP for name in ("a.py", "gen/b.py", "sub/gen/c.py", "build/d.py")}
    _project(tmp_path, 'extend-exclude = ["./gen"]\n', files)
    monkeypatch.chdir(tmp_path / "sub")
    paths = [d["path"] for d in run(capsys, "--output-format", "json", "..").json()]
    assert paths == ["../a.py", "../sub/gen/c.py"]


def test_exclude_in_the_file_replaces_the_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    _project(tmp_path, 'exclude = ["gen"]\n', {"build/a.py": LOOP, "gen/b.py": LOOP})
    monkeypatch.chdir(tmp_path)
    assert [d["path"] for d in run(capsys, "--output-format", "json").json()] == ["build/a.py"]


def test_per_file_ignores(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    table = ('[tool.connclose.per-file-ignores]\n"tests/*" = ["CCL003"]\n'
             '"scripts/*.py" = ["CCL"]\n"conftest.py" = ["CCL001"]\n')
    files = {name: MIXED for name in ("app.py", "tests/t.py", "scripts/s.py", "conftest.py")}
    _project(tmp_path, table, files)
    monkeypatch.chdir(tmp_path)
    found = run(capsys, "--output-format", "json", "--select", "CCL003,CCL001").json()
    assert {(d["path"], d["code"]) for d in found} == {
        ("app.py", "CCL001"), ("app.py", "CCL003"), ("tests/t.py", "CCL001"),
        ("conftest.py", "CCL003"),
    }


def test_session_factories_and_functional_modules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = (
        "import myapp.http\nfrom myapp import api\n\n\n"
        "def f(urls):\n    s = myapp.http.make_session()\n"
        "    for u in urls:\n        api.get(u)\n        s.get(u)\n"
    )
    table = ('session-factories = ["myapp.http.make_session"]\n'
             'functional-modules = ["myapp.api"]\n')
    _project(tmp_path, table, {"mod.py": source})
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "--output-format", "json", "mod.py").positions() == {
        ("mod.py", 6, 9, "CCL001"), ("mod.py", 8, 9, "CCL003"),
    }
    assert run(capsys, "--isolated", "mod.py").code == 0


def test_load_reads_every_key(tmp_path: Path) -> None:
    _project(tmp_path, (
        'select = ["CCL"]\nignore = ["CCL004"]\nextend-select = ["CCL901"]\n'
        'exclude = ["a"]\nextend-exclude = ["b"]\nsession-factories = ["m.make"]\n'
        'functional-modules = ["m.api"]\nper-file-ignores = {"t/*" = ["CCL003"]}\n'
    ))
    assert config.load(tmp_path / "pyproject.toml") == config.Config(
        path=tmp_path / "pyproject.toml", select=("CCL",), ignore=("CCL004",),
        extend_select=("CCL901",), exclude=("a",), extend_exclude=("b",),
        session_factories=("m.make",), functional_modules=("m.api",),
        per_file_ignores=(("t/*", ("CCL003",)),),
    )


# -- mistakes ----------------------------------------------------------------------

@pytest.mark.parametrize("table, message", [
    ('selct = ["CCL"]\n', "unknown key 'selct' (did you mean 'select'?)"),
    ('extend_select = ["CCL"]\n', "unknown key 'extend_select' (did you mean 'extend-select'?)"),
    ('max-line-length = 10\n', "unknown key 'max-line-length'"),
    ('select = "CCL"\n', "select: expected a list of strings, got str 'CCL'"),
    ('ignore = ["CCL", 3]\n', "ignore: expected a list of strings, got list ['CCL', 3]"),
    ('select = ["E501"]\n', "select: unknown code 'E501'"),
    ('extend-select = ["ccl901"]\n', "unknown code 'ccl901' (did you mean 'CCL901'?)"),
    ('exclude = "build"\n', "exclude: expected a list of strings"),
    ('extend-exclude = [1]\n', "extend-exclude: expected a list of strings"),
    ('session-factories = ["make_session"]\n', "'make_session' names no module"),
    ('session-factories = ["my-app.make"]\n', "'my-app.make' is not a dotted name"),
    ('functional-modules = ["myapp..api"]\n', "'myapp..api' is not a dotted name"),
    ('per-file-ignores = ["tests/*:CCL003"]\n', "per-file-ignores: expected a table"),
    ('per-file-ignores = {"tests/*" = ["CCL0003"]}\n',
     "per-file-ignores: 'tests/*': unknown code 'CCL0003'"),
    ('select = [\n', "not valid TOML"),
])
def test_a_mistake_names_the_file_and_the_key_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    table: str, message: str,
) -> None:
    _project(tmp_path, table)
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "mod.py")
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"connclose: error: {tmp_path / 'pyproject.toml'}: ")
    assert message in result.err
    assert "Traceback" not in result.err


def test_table_of_the_wrong_type(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool]\nconnclose = 1\n")
    (tmp_path / "mod.py").write_text(LOOP)
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "mod.py")
    assert result.code == 2 and "[tool.connclose] must be a table, got int 1" in result.err


@pytest.mark.parametrize("content, message", [
    (None, "cannot read: No such file or directory"),
    ("[tool.ruff]\nselect = ['E']\n", "no [tool.connclose] table"),
    (b"\xff\xfe", "not valid TOML"),
])
def test_config_option_mistakes(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch,
                                content: str | bytes | None, message: str) -> None:
    path = tmp_path / "given.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "--config", "given.toml", ".")
    assert result.code == 2
    assert result.err.startswith("connclose: error: given.toml: ")
    assert message in result.err and "Traceback" not in result.err
