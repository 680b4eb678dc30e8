"""The `connclose` command: options, exit codes, files, stdin, jobs."""

from __future__ import annotations

import concurrent.futures
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import CLEAN, LOOP, Run, run, run_process

from flake8_connclose import __version__, cli, engine
from flake8_connclose.rules import BY_CODE, RULES

FIXTURES = Path(__file__).parent / "fixtures"
LOOP_FINDING = ("mod.py", 6, 9, "CCL003")


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with no configuration above it that we did not write."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.connclose]\n")
    return tmp_path


# -- agreement with the flake8 plugin ------------------------------------------

@pytest.fixture(scope="module")
def flake8_positions() -> dict[str, set[tuple[int, int, str]]]:
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "CCL,CCL901", str(FIXTURES)],
        capture_output=True, text=True,
    )
    by_file: dict[str, set[tuple[int, int, str]]] = {}
    for line in proc.stdout.splitlines():
        path, row, col, rest = line.split(":", 3)
        by_file.setdefault(Path(path).name, set()).add((int(row), int(col), rest.split()[0]))
    return by_file


@pytest.fixture(scope="module")
def connclose_positions() -> dict[str, set[tuple[int, int, str]]]:
    out = io.StringIO()
    saved, sys.stdout = sys.stdout, out
    try:
        cli.main(["--isolated", "--select", "CCL,CCL901", "--output-format", "json",
                  str(FIXTURES)])
    finally:
        sys.stdout = saved
    result = Run(0, out.getvalue(), "")
    by_file: dict[str, set[tuple[int, int, str]]] = {}
    for name, line, col, code in result.positions():
        by_file.setdefault(name, set()).add((line, col, code))
    return by_file


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.py")))
def test_same_findings_as_the_flake8_plugin(
    fixture: str,
    flake8_positions: dict[str, set[tuple[int, int, str]]],
    connclose_positions: dict[str, set[tuple[int, int, str]]],
) -> None:
    assert connclose_positions.get(fixture) == flake8_positions.get(fixture)
    assert flake8_positions.get(fixture), "a fixture without findings proves nothing"


# -- exit codes ----------------------------------------------------------------

def test_clean_exits_0(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mod.py").write_text(CLEAN)
    result = run(capsys, "mod.py")
    assert (result.code, result.out, result.err) == (0, "All checks passed!\n", "")


def test_findings_exit_1(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mod.py").write_text(LOOP)
    result = run(capsys, "mod.py")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("mod.py:6:9: CCL003 `requests.get()` in a loop")
    assert lines[-1] == "Found 1 finding."


def test_exit_zero(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mod.py").write_text(LOOP)
    result = run(capsys, "--exit-zero", "mod.py")
    assert result.code == 0 and "CCL003" in result.out


@pytest.mark.parametrize("args, message", [
    (["--select", "BOGUS"], "argument --select: unknown code 'BOGUS'"),
    (["--ignore", "ccl001"], "unknown code 'ccl001' (did you mean 'CCL001'?)"),
    (["--extend-select", "CCL,X"], "unknown code 'X'"),
    (["--jobs", "0"], "expected a whole number of at least 1"),
    (["--output-format", "xml"], "invalid choice: 'xml'"),
    (["--config", "a.toml", "--isolated"], "not allowed with argument"),
    (["--no-such-option"], "unrecognized arguments: --no-such-option"),
])
def test_usage_errors_exit_2(project: Path, capsys: pytest.CaptureFixture[str],
                             args: list[str], message: str) -> None:
    result = run(capsys, *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_internal_error_names_the_file_and_the_run_goes_on(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    (project / "mod.py").write_text(LOOP)
    (project / "boom.py").write_text(LOOP)
    real = engine.check_analysis

    def broken(analysis, lines):  # type: ignore[no-untyped-def]
        if any("BOOM" in line for line in lines):
            raise KeyError("engine bug")
        return real(analysis, lines)

    (project / "boom.py").write_text(LOOP + "# BOOM\n")
    monkeypatch.setattr(engine, "check_analysis", broken)
    result = run(capsys, ".")
    assert result.code == 2
    assert "connclose: error: boom.py: internal error: KeyError: 'engine bug'" in result.err
    assert "mod.py:6:9: CCL003" in result.out


def test_exit_zero_does_not_hide_an_internal_error(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    (project / "mod.py").write_text(LOOP)
    monkeypatch.setattr(engine, "check_analysis", lambda *a: 1 / 0)
    assert run(capsys, "--exit-zero", "mod.py").code == 2


def test_an_internal_error_outside_any_file_is_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    (project / "mod.py").write_text(LOOP)
    monkeypatch.setattr(cli.report, "summary", lambda *args: 1 / 0)
    result = run(capsys, "mod.py")
    assert result.code == 2
    assert result.err.startswith("connclose: error: internal error: ZeroDivisionError")


# -- selection -------------------------------------------------------------------

MIXED = """\
import requests

SESSION = requests.Session()


def f(urls):
    s = requests.Session()
    for u in urls:
        requests.get(u)
    return s.get(urls[0]).text
"""


@pytest.mark.parametrize("args, codes", [
    ([], {"CCL001", "CCL003"}),
    (["--select", "CCL"], {"CCL001", "CCL003"}),
    (["--select", "CCL9"], {"CCL901"}),
    (["--select", "CCL901"], {"CCL901"}),
    (["--extend-select", "CCL901"], {"CCL001", "CCL003", "CCL901"}),
    (["--select", "CCL003"], {"CCL003"}),
    (["--select", "C"], {"CCL001", "CCL003"}),
    (["--ignore", "CCL003"], {"CCL001"}),
    (["--ignore", "CCL"], set()),
    # flake8's rule: the longer prefix wins, a tie ignores.
    (["--select", "CCL003", "--ignore", "CCL"], {"CCL003"}),
    (["--select", "CCL00", "--ignore", "CCL00"], set()),
    (["--select", "CCL,CCL901", "--ignore", "CCL9"], {"CCL001", "CCL003", "CCL901"}),
    (["--select", "CCL,CCL9", "--ignore", "CCL901"], {"CCL001", "CCL003"}),
])
def test_select_and_ignore(project: Path, capsys: pytest.CaptureFixture[str],
                           args: list[str], codes: set[str]) -> None:
    (project / "mod.py").write_text(MIXED)
    result = run(capsys, "--output-format", "json", *args, "mod.py")
    assert {code for *_, code in result.positions()} == codes


# -- files ---------------------------------------------------------------------

def test_directories_are_walked_and_tool_directories_skipped(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    for relative in ("pkg/a.py", "pkg/sub/b.py", "stubs/c.pyi", "venv/lib/d.py",
                     ".git/e.py", "build/f.py", "node_modules/g.py", "pkg/__pycache__/h.py",
                     "x.egg/i.py"):
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LOOP)
    (project / "pkg" / "notes.txt").write_text(LOOP)
    result = run(capsys, "--output-format", "json")
    assert [d["path"] for d in result.json()] == ["pkg/a.py", "pkg/sub/b.py", "stubs/c.pyi"]


def test_a_file_named_on_the_command_line_is_checked_whatever_its_name(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    (project / "bin").mkdir()
    (project / "bin" / "script").write_text(LOOP)
    result = run(capsys, "--output-format", "json", "bin/script")
    assert [d["path"] for d in result.json()] == ["bin/script"]


def test_a_named_file_in_an_excluded_directory_is_skipped(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """pre-commit names every file: exclude must mean what it means for a walk."""
    for relative in ("app/migrations/m1.py", "build/lib/x.py", "app/views.py"):
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(LOOP)
    named = ("app/migrations/m1.py", "./build/lib/x.py", "app/views.py")
    result = run(capsys, "--output-format", "json", "--extend-exclude", "migrations", *named)
    assert [d["path"] for d in result.json()] == ["app/views.py"]
    assert run(capsys, "--output-format", "json", "--exclude", "", *named).positions() == {
        ("m1.py", 6, 9, "CCL003"), ("x.py", 6, 9, "CCL003"), ("views.py", 6, 9, "CCL003"),
    }


def test_exclude_replaces_the_defaults_and_extend_exclude_adds(
    project: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    for relative in ("a.py", "gen/b.py", "build/c.py", "d_pb2.py"):
        (project / relative).parent.mkdir(exist_ok=True)
        (project / relative).write_text(LOOP)

    def paths(*args: str) -> list[str]:
        return [d["path"] for d in run(capsys, "--output-format", "json", *args, ".").json()]

    assert paths() == ["a.py", "d_pb2.py", "gen/b.py"]
    assert paths("--exclude", "gen") == ["a.py", "build/c.py", "d_pb2.py"]
    assert paths("--extend-exclude", "*_pb2.py,./gen") == ["a.py"]


def test_a_file_given_twice_is_reported_once(project: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mod.py").write_text(LOOP)
    result = run(capsys, "--output-format", "json", "mod.py", "mod.py", ".")
    assert result.positions() == {LOOP_FINDING}
    assert len(result.json()) == 1


def test_output_is_sorted_by_path_then_position(project: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("b.py", "a.py", "c/a.py"):
        (project / name).parent.mkdir(exist_ok=True)
        (project / name).write_text(MIXED)
    rows = [(d["path"], d["line"], d["column"])
            for d in run(capsys, "--output-format", "json", ".").json()]
    assert rows == sorted(rows)
    assert [r[0] for r in rows] == ["a.py"] * 2 + ["b.py"] * 2 + ["c/a.py"] * 2


def test_jobs_1_and_2_give_identical_output(project: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(cli.PARALLEL_MIN_FILES + 10):
        (project / f"m{number:03}.py").write_text(MIXED if number % 2 else LOOP)
    pools = []

    class Recorded(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, workers: int, **options: Any) -> None:
            pools.append(workers)
            super().__init__(workers, **options)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recorded)
    serial = run(capsys, "--jobs", "1", ".")
    assert pools == []
    parallel = run(capsys, "--jobs", "2", ".")
    assert pools == [2], "the parallel path was not taken"
    assert parallel == serial
    assert serial.out.count("\n") == 30 * 2 + 30 * 1 + 1


def test_few_files_are_checked_without_worker_processes(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    (project / "mod.py").write_text(LOOP)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", None)
    assert run(capsys, "--jobs", "8", "mod.py").code == 1


def test_start_up_imports_only_what_a_check_needs(tmp_path: Path) -> None:
    """A pre-commit run checks a few files: its start-up is most of its time."""
    (tmp_path / "mod.py").write_text(LOOP)
    probe = ("import sys\nfrom flake8_connclose import cli\n"
             "code = cli.main(['--quiet', 'mod.py'])\nprint(sorted(m for m in ('concurrent.futures.process', 'tomllib', 'libcst', "
             "'traceback') if m in sys.modules), code)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                         text=True, check=True).stdout
    assert out.splitlines()[-1] == "[] 1"


# -- stdin ---------------------------------------------------------------------

def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


def test_stdin(project: Path, capsys: pytest.CaptureFixture[str],
               monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, LOOP)
    result = run(capsys, "-")
    assert result.code == 1
    assert result.out.startswith("-:6:9: CCL003 ")


def test_stdin_filename_names_it_and_is_excluded_like_a_file(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    _stdin(monkeypatch, LOOP)
    assert run(capsys, "--stdin-filename", "src/app.py", "-").out.startswith("src/app.py:6:9:")
    _stdin(monkeypatch, LOOP)
    skipped = run(capsys, "--stdin-filename", "build/app.py", "-")
    assert (skipped.code, skipped.out) == (0, "All checks passed!\n")


# -- output options ------------------------------------------------------------

def test_quiet_prints_findings_only(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mod.py").write_text(LOOP)
    assert run(capsys, "-q", "mod.py").out.splitlines()[-1].startswith("mod.py:6:9: CCL003")
    (project / "mod.py").write_text(CLEAN)
    assert run(capsys, "--quiet", "mod.py") == Run(0, "", "")


def test_show_source(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mod.py").write_text(LOOP)
    lines = run(capsys, "--show-source", "mod.py").out.splitlines()
    assert lines[1:3] == ["        requests.get(url)", "        ^"]


def test_statistics(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mod.py").write_text(MIXED)
    out = run(capsys, "--statistics", "mod.py").out.splitlines()
    assert out[-3:-1] == ["1     CCL001 unclosed-session", "1     CCL003 functional-call-in-loop"]
    assert out[-1].startswith("Found 2 findings")
    machine = run(capsys, "--statistics", "--output-format", "json", "mod.py")
    assert machine.err == "1     CCL001 unclosed-session\n1     CCL003 functional-call-in-loop\n"


@pytest.mark.parametrize("env, coloured", [
    ({}, False),
    ({"FORCE_COLOR": "1"}, True),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
])
def test_colour_only_when_asked_or_on_a_terminal(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str], coloured: bool,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    (project / "mod.py").write_text(LOOP)
    assert ("\033[" in run(capsys, "mod.py").out) is coloured


@pytest.mark.parametrize("code", [rule.code for rule in RULES])
def test_explain_prints_the_rule_page(capsys: pytest.CaptureFixture[str], code: str) -> None:
    result = run(capsys, "--explain", code.lower())
    assert result == Run(0, BY_CODE[code].docs_markdown(), "")
    page = Path(__file__).parent.parent / "docs" / "rules" / f"{code}.md"
    assert result.out == page.read_text(encoding="utf-8")


def test_explain_unknown_code(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "--explain", "E501")
    assert result.code == 2 and "unknown code 'E501'" in result.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == Run(0, f"connclose {__version__}\n", "")


# -- end to end, in a new process ------------------------------------------------

def test_module_entry_point(project: Path) -> None:
    (project / "mod.py").write_text(LOOP)
    (project / "ok.py").write_text(CLEAN)
    result = run_process(cwd=project)
    assert result.code == 1
    assert result.out.splitlines() == [
        result.out.splitlines()[0], "Found 1 finding."
    ] and result.out.startswith("mod.py:6:9: CCL003")
    assert result.err == ""


def test_console_script_and_stdin(project: Path) -> None:
    script = Path(sys.executable).with_name("connclose")
    if not script.exists():
        pytest.skip("the connclose console script is not installed next to this Python")
    proc = subprocess.run([str(script), "--output-format", "json", "-"], input=LOOP.encode(),
                          capture_output=True, cwd=project)
    assert proc.returncode == 1
    assert Run(1, proc.stdout.decode(), "").positions() == {("-", 6, 9, "CCL003")}


def test_no_libcst_on_the_check_path(project: Path) -> None:
    """libcst is for fixing; importing it would cost every check run."""
    (project / "mod.py").write_text(LOOP)
    code = ("import sys; from flake8_connclose.cli import main; code = main(['mod.py']); "
            "assert 'libcst' not in sys.modules, 'libcst imported'; sys.exit(code)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=project, env={**os.environ, "PYTHONWARNINGS": "error"})
    assert proc.returncode == 1, proc.stderr
    assert "CCL003" in proc.stdout
