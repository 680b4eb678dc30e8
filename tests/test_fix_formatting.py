"""Diffs a maintainer accepts: a file that `black` and `ruff format` left as
it is stays so after the fixes, except where a re-indented line became too
long for them (they then wrap it, which is theirs to do, not ours)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from flake8_connclose.engine import check_source
from flake8_connclose.fixes import apply_fixes

black = pytest.importorskip("black")
TESTS = Path(__file__).parent
SOURCES = sorted([*(TESTS / "fixtures").glob("*.py"), *(TESTS / "realworld").glob("*.py")])
LINE_LENGTH = 88  # black's and ruff's default


def _black(text: str) -> str:
    return str(black.format_str(text, mode=black.Mode()))


RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


def _ruff(text: str) -> str:
    if RUFF is None:
        pytest.skip("ruff is not installed")
    done = subprocess.run([RUFF, "format", "--isolated", "-"], input=text, text=True,
                          capture_output=True, check=True)
    return done.stdout


@pytest.mark.parametrize("formatter", [_black, _ruff], ids=["black", "ruff-format"])
@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_fixes_keep_formatted_code_formatted(path: Path, formatter: Callable[[str], str]
                                             ) -> None:
    formatted = formatter(path.read_text(encoding="utf-8"))
    fixed = apply_fixes(formatted, check_source(formatted), unsafe=True).source
    reformatted = formatter(fixed)
    changed = set(fixed.splitlines()) - set(reformatted.splitlines())
    assert all(len(line) > LINE_LENGTH for line in changed), sorted(changed)
