"""Diffs a maintainer accepts: a file that `black` and `ruff format` left as
it is stays so after the fixes, except where a re-indented line became too
long for them, or beside a line whose text the fix wrote (they then re-wrap
it, which is theirs to do, not ours)."""

from __future__ import annotations

import difflib
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
    lines = fixed.splitlines()
    # Lines whose text the fix wrote (not only re-indented): a formatter may
    # re-wrap the statement around them (`(urlopen(u).read())` is now short).
    old = {line.strip() for line in formatted.splitlines()}
    written = {n for n, line in enumerate(lines) if line.strip() not in old}
    matcher = difflib.SequenceMatcher(a=lines, b=reformatted.splitlines(), autojunk=False)
    touched = {n for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"
               for n in range(i1, max(i2, i1 + 1))}
    changed = [lines[n] for n in sorted(touched) if n < len(lines)
               and len(lines[n]) <= LINE_LENGTH and not written & set(range(n - 3, n + 4))]
    assert changed == []
