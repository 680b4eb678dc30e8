"""Files that are broken, strange or missing: each is reported with a reason,
and the run goes on to check the others."""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path
from typing import Callable

import pytest
from cli_helpers import LOOP, run, run_process

from flake8_connclose import engine

LOOP_BYTES = LOOP.encode()
OK = ("ok.py", 6, 9, "CCL003")


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda root: (root / name).write_bytes(data)


def _symlink(name: str, target: str) -> Callable[[Path], None]:
    return lambda root: (root / name).symlink_to(target)


def _loop(root: Path) -> None:
    (root / "loop_a.py").symlink_to("loop_b.py")
    (root / "loop_b.py").symlink_to("loop_a.py")


def _directory_named_py(root: Path) -> None:
    (root / "x.py").mkdir()
    (root / "x.py" / "inner.py").write_bytes(LOOP_BYTES)


# (setup, what is reported besides ok.py: (file, line, column, code, words of the reason))
CASES = {
    "syntax error": (
        _write("bad.py", b"import requests\n\ndef f(:\n    pass\n"),
        {("bad.py", 3, 7, "E999", "SyntaxError: invalid syntax")},
    ),
    "null byte": (
        _write("bad.py", b"import requests\nx = 1\0\n"),
        {("bad.py", 2, 6, "E999", "null bytes")},
    ),
    "undecodable bytes": (
        _write("bad.py", b"import requests\nx = '\xff'\n"),
        {("bad.py", 2, 6, "E999", "'utf-8' codec can't decode byte 0xff")},
    ),
    "unknown coding cookie": (
        _write("bad.py", b"#!/usr/bin/env python\n# coding: nope\nimport requests\n"),
        {("bad.py", 2, 1, "E999", "unknown encoding: nope")},
    ),
    "BOM against a latin-1 cookie": (
        _write("bad.py", b"\xef\xbb\xbf# coding: latin-1\nimport requests\n"),
        {("bad.py", 1, 1, "E999", "a UTF-8 BOM with another coding cookie")},
    ),
    # Columns count characters of the decoded line: 'é' is one.
    "PEP 263 latin-1 cookie": (
        _write("latin1.py", b"# -*- coding: latin-1 -*-\nimport requests\n\n\ndef f(us):\n"
                            b"    for u in us:\n        s = '\xe9'; requests.get(u)\n"),
        {("latin1.py", 7, 18, "CCL003", "in a loop")},
    ),
    "UTF-8 BOM": (
        _write("bom.py", b"\xef\xbb\xbf" + LOOP_BYTES),
        {("bom.py", 6, 9, "CCL003", "in a loop")},
    ),
    "CRLF line endings": (
        _write("crlf.py", LOOP_BYTES.replace(b"\n", b"\r\n")),
        {("crlf.py", 6, 9, "CCL003", "in a loop")},
    ),
    "CR line endings": (
        _write("cr.py", LOOP_BYTES.replace(b"\n", b"\r")),
        {("cr.py", 6, 9, "CCL003", "in a loop")},
    ),
    # Python counts lines at \n only; str.splitlines would also split here.
    "form feed and U+2028 inside the file": (
        _write("sep.py", "import requests\nx = '\u2028\x0c'\n\x0c\n\ndef f(us):\n"
                         "    for u in us:\n        requests.get(u)\n".encode()),
        {("sep.py", 7, 9, "CCL003", "in a loop")},
    ),
    "dangling symlink": (
        _symlink("dangling.py", "missing.py"),
        {("dangling.py", 1, 1, "E902", "FileNotFoundError: No such file or directory")},
    ),
    "symlink loop": (
        _loop,
        {("loop_a.py", 1, 1, "E902", "Too many levels of symbolic links"),
         ("loop_b.py", 1, 1, "E902", "Too many levels of symbolic links")},
    ),
    "empty file": (_write("empty.py", b""), set()),
    "50,000 lines": (
        _write("big.py", b"import requests\n" + b"x = 1\n" * 50_000 + LOOP_BYTES[16:]),
        {("big.py", 50_006, 9, "CCL003", "in a loop")},
    ),
    "nesting beyond the parser's limit": (
        _write("deep.py", b"import requests\nx = " + b"(" * 300 + b"1" + b")" * 300 + b"\n"),
        {("deep.py", 2, 205, "E999", "too many nested parentheses")},
    ),
    "nesting beyond the recursion limit": (
        _write("deep.py", b"import requests\nx = " + b"-" * 100_000 + b"1\n"),
        {("deep.py", 1, 1, "E999", "too deeply nested for Python's parser")},
    ),
    "directory named x.py": (_directory_named_py, {("inner.py", 6, 9, "CCL003", "in a loop")}),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                   monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    setup, expected = CASES[case]
    (tmp_path / "ok.py").write_bytes(LOOP_BYTES)
    setup(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "--isolated", "--output-format", "json", ".")
    assert result.code == 1, result.err
    assert result.err == ""
    reported = {(Path(d["path"]).name, d["line"], d["column"], d["code"], d["message"])
                for d in result.json()}
    assert (*OK, _message(reported, "ok.py")) in reported, "the other file was not checked"
    others = {r for r in reported if r[0] != "ok.py"}
    assert {r[:4] for r in others} == {e[:4] for e in expected}
    for name, *_, words in expected:
        assert words in _message(others, name)


def _message(reported: set[tuple[str, int, int, str, str]], name: str) -> str:
    return next(r[4] for r in reported if r[0] == name)


def test_a_path_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.py").write_bytes(LOOP_BYTES)
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "--isolated", "missing.py", "ok.py")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "missing.py:1:1: E902 FileNotFoundError: No such file or directory"
    assert lines[1].startswith("ok.py:6:9: CCL003")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root (or Windows) can read a file whatever its mode")
def test_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "secret.py").write_bytes(LOOP_BYTES)
    (tmp_path / "secret.py").chmod(0)
    result = run(capsys, "--isolated", str(tmp_path))
    assert result.code == 1
    assert "secret.py:1:1: E902 PermissionError: Permission denied" in result.out


def test_a_read_error_is_reported_not_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What a permission error becomes, tested where even root gets one: an
    open() that fails as it would on a mode-000 file."""
    (tmp_path / "secret.py").write_bytes(LOOP_BYTES)
    (tmp_path / "ok.py").write_bytes(LOOP_BYTES)
    real_open = open

    def guarded_open(path: str, *args: object, **kwargs: object) -> object:
        if str(path).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", guarded_open)
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "--isolated", ".")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("ok.py:6:9: CCL003")
    assert lines[1] == "secret.py:1:1: E902 PermissionError: Permission denied"


def test_only_unparsable_files_exit_1_as_ruff_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "bad.py").write_bytes(b"import requests\nx = (\n")
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "--isolated", "bad.py").code == 1
    assert run(capsys, "--isolated", "--exit-zero", "bad.py").code == 0


def test_a_file_the_pre_filter_drops_is_never_parsed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The price of the pre-filter: a syntax error in a file that imports no
    HTTP library goes unreported. connclose is not a syntax checker."""
    (tmp_path / "other.py").write_bytes(b"def f(:\n")
    monkeypatch.chdir(tmp_path)
    for parse in ("analysed", "analyse_source"):
        monkeypatch.setattr(engine, parse, lambda *a: pytest.fail("parsed"))
    assert run(capsys, "--isolated", "other.py").code == 0


def test_every_bad_input_at_once_in_a_new_process(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_bytes(LOOP_BYTES)
    for case, (setup, _) in CASES.items():
        directory = tmp_path / case.replace(" ", "_").replace(",", "")
        directory.mkdir()
        setup(directory)
    result = run_process("--isolated", ".", "missing.py", cwd=tmp_path)
    assert result.code == 1
    assert "Traceback" not in result.out + result.err and result.err == ""
    expected = sum(len(e) for _, e in CASES.values()) + 2  # ok.py, missing.py
    assert f"Found {expected} findings" in result.out


def test_lines_are_split_where_python_splits_them() -> None:
    """``Source`` splits with ``str.splitlines`` unless a text holds one of
    the separators where it splits and Python does not: the list must be
    every such separator of this Python."""
    from flake8_connclose.sources import _OTHER_SEPARATORS, Source

    splits = {chr(c) for c in range(0x110000) if len(f"a{chr(c)}b".splitlines()) == 2}
    assert splits - {"\n", "\r"} == set(_OTHER_SEPARATORS)
    for separator in _OTHER_SEPARATORS:
        text = f"x = '{separator}'\r\ny = 1\rz = 2\n"
        assert Source(text).lines == [f"x = '{separator}'\r\n", "y = 1\r", "z = 2\n"]
        assert [n.lineno for n in ast.parse(text).body] == [1, 2, 3]
        assert Source(f"a\n{separator}\n").lines == ["a\n", f"{separator}\n"]
    assert Source("x = 1\r\ny = 2\rz").lines == ["x = 1\r\n", "y = 2\r", "z"]
