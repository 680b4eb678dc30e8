"""The flake8 face, end to end through a real `flake8` process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from expectations import expected, fixture

FIXTURES = Path(__file__).parent / "fixtures"

LOOP = """\
import requests


def f(urls):
    for u in urls:
        requests.get(u)
        requests.get(u)  # noqa
        requests.get(u)  # noqa: CCL003
        requests.get(u)  # noqa: E501
        requests.get(u)  # NOQA:CCL003,E501
"""


def flake8(*args: str | Path, cwd: Path | None = None) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", *map(str, args)],
        capture_output=True, text=True, cwd=cwd,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout.splitlines()


def positions(lines: list[str]) -> set[tuple[int, int, str]]:
    found = set()
    for line in lines:
        _path, row, col, rest = line.split(":", 3)
        found.add((int(row), int(col), rest.split()[0]))
    return found


def test_plugin_is_registered() -> None:
    out = subprocess.run([sys.executable, "-m", "flake8", "--version"],
                         capture_output=True, text=True).stdout
    assert "flake8-connclose" in out


def test_fixtures_through_flake8() -> None:
    lines = flake8("--select", "CCL,CCL901", FIXTURES)
    by_file: dict[str, list[str]] = {}
    for line in lines:
        by_file.setdefault(Path(line.split(":", 1)[0]).name, []).append(line)
    for path in sorted(FIXTURES.glob("*.py")):
        assert positions(by_file.get(path.name, [])) == expected(fixture(path.name)), path.name


def test_noqa(tmp_path: Path) -> None:
    (tmp_path / "loop.py").write_text(LOOP)
    assert positions(flake8("--select", "CCL", tmp_path / "loop.py")) == {
        (6, 9, "CCL003"), (9, 9, "CCL003")
    }


@pytest.mark.parametrize("args, reported", [
    (["--select", "CCL"], False),
    (["--select", "CCL9"], True),
    (["--select", "CCL901"], True),
    (["--select", "CCL", "--extend-select", "CCL901"], True),
    ([], False),
    (["--ignore", "E"], False),
])
def test_ccl901_only_when_selected(tmp_path: Path, args: list[str], reported: bool) -> None:
    (tmp_path / "mod.py").write_text("import requests\n\nSESSION = requests.Session()\n")
    codes = {p[2] for p in positions(flake8(*args, tmp_path / "mod.py"))}
    assert ("CCL901" in codes) is reported


def test_options_from_flake8_config(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text(
        "[flake8]\nselect = CCL\n"
        "connclose-session-factories = myapp.http.make_session\n"
        "connclose-functional-modules = myapp.api\n"
    )
    (tmp_path / "mod.py").write_text(
        "import myapp.http\nfrom myapp import api\n\n\n"
        "def f(urls):\n    s = myapp.http.make_session()\n"
        "    for u in urls:\n        api.get(u)\n        s.get(u)\n"
    )
    proc = subprocess.run([sys.executable, "-m", "flake8", "mod.py"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert positions(proc.stdout.splitlines()) == {(6, 9, "CCL001"), (8, 9, "CCL003")}


def test_options_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text(
        "from myapp import api\n\n\ndef f(urls):\n    for u in urls:\n        api.get(u)\n"
    )
    assert flake8("--select", "CCL", tmp_path / "mod.py") == []
    lines = flake8("--select", "CCL", "--connclose-functional-modules", "myapp.api",
                   tmp_path / "mod.py")
    assert positions(lines) == {(6, 9, "CCL003")}


def test_self_lint() -> None:
    """The package passes flake8, this plugin included, with the repo's config."""
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-m", "flake8", "flake8_connclose"],
                          capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
