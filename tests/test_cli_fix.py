"""`connclose --fix`, `--diff` and `--unsafe-fixes`: what is written, what is
printed, the exit codes, and the bytes of the files around the fix."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest
from cli_helpers import CLEAN, LOOP, run, run_process

from flake8_connclose import sources

UNCLOSED = """\
import requests


def download(url, path):
    session = requests.Session()  # one connection pool
    body = session.get(url).content
    with open(path, "wb") as out:
        out.write(body)
    session.close()
"""
WRAPPED = """\
import requests


def download(url, path):
    with requests.Session() as session:  # one connection pool
        body = session.get(url).content
        with open(path, "wb") as out:
            out.write(body)
"""
SHARED = """\
import requests


def fetch_all(urls):
    with requests.Session() as session:
        for url in urls:
            session.get(url)
"""
OWNED = """\
import requests


class Client:
    def __init__(self):
        self.session = requests.Session()
"""


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.connclose]\n")
    return tmp_path


def test_fix_rewrites_and_a_second_run_changes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    (project / "mod.py").write_text(UNCLOSED)
    first = run(capsys, "--fix", "mod.py")
    assert first.code == 1  # a file changed: pre-commit style
    assert (project / "mod.py").read_text() == WRAPPED
    assert first.out == "Found 1 finding (1 fixed, 0 remaining).\n"
    second = run(capsys, "--fix", "mod.py")
    assert (second.code, second.out) == (0, "All checks passed!\n")
    assert (project / "mod.py").read_text() == WRAPPED


def test_fix_reports_what_remains_with_the_reason(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    (project / "mod.py").write_text(UNCLOSED + "\n\n" + OWNED)
    result = run(capsys, "--fix", "mod.py")
    assert result.code == 1
    assert result.out.splitlines() == [
        "mod.py:16:24: CCL006 `Client` stores a `requests.Session()` session on "
        "`self.session` but never closes it; add a `close()` (or `__exit__`) that calls "
        "`self.session.close()` (not fixable: CCL006 has no automatic fix)",
        "Found 2 findings (1 fixed, 1 remaining).",
    ]
    assert (project / "mod.py").read_text().startswith(WRAPPED)


def test_nothing_fixable_leaves_the_file_alone_and_exits_1(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    (project / "mod.py").write_text(OWNED)
    before = os.stat(project / "mod.py")
    result = run(capsys, "--fix", "mod.py")
    assert result.code == 1
    assert "Found 1 finding (0 fixed, 1 remaining)." in result.out
    assert os.stat(project / "mod.py").st_mtime_ns == before.st_mtime_ns


def test_unsafe_fixes_only_when_asked(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mod.py").write_text(LOOP)
    safe = run(capsys, "--fix", "mod.py")
    assert "(not fixable: the fix is unsafe; apply it with --unsafe-fixes)" in safe.out
    assert (project / "mod.py").read_text() == LOOP
    unsafe = run(capsys, "--fix", "--unsafe-fixes", "mod.py")
    assert unsafe.code == 1
    assert (project / "mod.py").read_text() == SHARED
    assert unsafe.out == "Found 1 finding (1 fixed, 0 remaining).\n"


def test_noqa_and_unselected_findings_are_not_fixed(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    suppressed = UNCLOSED.replace("# one connection pool", "# noqa: CCL001")
    (project / "quiet.py").write_text(suppressed)
    (project / "loud.py").write_text(UNCLOSED)
    result = run(capsys, "--fix", "--ignore", "CCL001", "quiet.py", "loud.py")
    assert (result.code, result.out) == (0, "All checks passed!\n")
    assert (project / "loud.py").read_text() == UNCLOSED
    run(capsys, "--fix", "quiet.py")
    assert (project / "quiet.py").read_text() == suppressed


def test_diff_prints_and_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mod.py").write_text(UNCLOSED)
    (project / "clean.py").write_text(CLEAN)
    result = run(capsys, "--diff", "mod.py", "clean.py")
    assert result.code == 1
    assert (project / "mod.py").read_text() == UNCLOSED
    assert result.out.startswith("--- mod.py\n+++ mod.py\n@@ ")
    assert "-    session.close()\n" in result.out
    assert "+    with requests.Session() as session:  # one connection pool\n" in result.out
    assert "clean.py" not in result.out
    assert result.err == "Would fix 1 finding.\n"
    nothing = run(capsys, "--diff", "clean.py")
    assert (nothing.code, nothing.out, nothing.err) == (0, "", "No fixes to apply.\n")


def test_diff_of_a_file_without_a_final_newline(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    (project / "mod.py").write_text(UNCLOSED.rstrip("\n"))
    result = run(capsys, "--diff", "mod.py")
    assert "-    session.close()\n\\ No newline at end of file\n" in result.out


def test_diff_splits_lines_only_where_python_does(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """A form feed or U+2028 inside a line is no line break: a diff split
    there would be rejected by `patch`."""
    (project / "mod.py").write_text(
        'import requests\n\n\ndef f(u):\n    s = requests.Session()\n'
        '    x = "a\u2028b"  # \x0c kept\n    return s.get(u).text + x\n')
    result = run(capsys, "--diff", "mod.py")
    assert '+        x = "a\u2028b"  # \x0c kept\n' in result.out
    body = [line for line in result.out.split("\n")[2:] if line]
    assert all(line[0] in " +-@\\" for line in body), body


def test_json_says_fixed_or_not_fixable_per_finding(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    (project / "mod.py").write_text(UNCLOSED + "\n\n" + OWNED)
    result = run(capsys, "--fix", "--output-format", "json", "mod.py")
    by_code = {item["code"]: item for item in result.json()}
    assert (by_code["CCL001"]["fix"], by_code["CCL001"]["reason"]) == ("fixed", None)
    assert by_code["CCL001"]["line"] == 5
    assert by_code["CCL006"]["fix"] == "not_fixable"
    assert by_code["CCL006"]["reason"] == "CCL006 has no automatic fix"


def test_stdin_fix_prints_the_fixed_source_and_reports_on_stderr(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdout = io.BytesIO()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(UNCLOSED.encode())))
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(stdout))
    result = run(capsys, "--fix", "-")
    sys.stdout.flush()
    assert stdout.getvalue().decode() == WRAPPED
    assert result.err == "Found 1 finding (1 fixed, 0 remaining).\n"


@pytest.mark.parametrize("source", [CLEAN, "def f(:\n", "print('no http here')\n"])
def test_stdin_fix_echoes_what_it_cannot_fix(project: Path, source: str) -> None:
    result = run_process("--isolated", "--fix", "-", stdin=source.encode(), cwd=project)
    assert result.out == source


# -- the bytes around a fix --------------------------------------------------------

@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings_are_kept(project: Path, capsys: pytest.CaptureFixture[str],
                               newline: str) -> None:
    (project / "mod.py").write_bytes(UNCLOSED.replace("\n", newline).encode())
    run(capsys, "--fix", "mod.py")
    assert (project / "mod.py").read_bytes() == WRAPPED.replace("\n", newline).encode()


def test_bom_and_coding_cookie_are_kept(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "bom.py").write_bytes(b"\xef\xbb\xbf" + UNCLOSED.encode())
    latin = "# -*- coding: latin-1 -*-\n# caf\xe9\n" + UNCLOSED
    (project / "latin.py").write_bytes(latin.encode("latin-1"))
    run(capsys, "--fix", "bom.py", "latin.py")
    assert (project / "bom.py").read_bytes() == b"\xef\xbb\xbf" + WRAPPED.encode()
    expected = "# -*- coding: latin-1 -*-\n# caf\xe9\n" + WRAPPED
    assert (project / "latin.py").read_bytes() == expected.encode("latin-1")


def test_mixed_line_endings_are_not_fixed(project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    mixed = UNCLOSED.replace("\n", "\r\n", 2).encode()
    (project / "mod.py").write_bytes(mixed)
    result = run(capsys, "--fix", "mod.py")
    assert "(not fixable: the file mixes line endings)" in result.out
    assert (project / "mod.py").read_bytes() == mixed


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_mode_and_symlink_are_kept(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "real.py").write_text(UNCLOSED)
    (project / "real.py").chmod(0o751)
    (project / "link.py").symlink_to("real.py")
    run(capsys, "--fix", "link.py")
    assert (project / "link.py").is_symlink()
    assert (project / "real.py").read_text() == WRAPPED
    assert stat.S_IMODE((project / "real.py").stat().st_mode) == 0o751
    assert sorted(p.name for p in project.iterdir()) == ["link.py", "pyproject.toml", "real.py"]


def test_a_failed_write_leaves_the_file_whole(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    (project / "mod.py").write_text(UNCLOSED)

    def interrupted(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sources.os, "replace", interrupted)
    result = run(capsys, "--fix", "mod.py")
    assert result.code == 1
    assert "mod.py:1:1: E902 not written: OSError: No space left on device" in result.out
    assert "Found 2 findings (0 fixed, 2 remaining)." in result.out
    assert (project / "mod.py").read_text() == UNCLOSED
    assert sorted(p.name for p in project.iterdir()) == ["mod.py", "pyproject.toml"]


def test_jobs_1_and_2_fix_alike(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Enough files to start worker processes; both runs write the same bytes."""
    for jobs in ("1", "2"):
        tree = tmp_path / jobs
        tree.mkdir()
        for number in range(60):
            (tree / f"m{number}.py").write_text(UNCLOSED if number % 2 else OWNED)
        monkeypatch.chdir(tree)
        outputs = run(capsys, "--isolated", "--fix", "--jobs", jobs, ".")
        assert outputs.out.endswith("Found 60 findings (30 fixed, 30 remaining).\n")
    for number in range(60):
        name = f"m{number}.py"
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()
