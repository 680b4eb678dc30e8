"""pre-commit for real: `pre-commit try-repo` installs this repository's hook
into a fresh virtualenv and runs it on a user's files."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from cli_helpers import CLEAN, LOOP

ROOT = Path(__file__).resolve().parent.parent
UNCLOSED = """\
import requests


def download(url):
    session = requests.Session()
    return session.get(url).content
"""

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="pre-commit is not installed (pip install '.[test]')"),
]


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.com",
         "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout


def _snapshot(destination: Path) -> Path:
    """try-repo installs a commit, so commit the working tree as it is now
    (tracked and new files, ignored ones left out) in a repository of its own."""
    destination.mkdir()
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for relative in filter(None, listed.split("\0")):
        source = ROOT / relative
        if source.is_file():
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git("init", "-q", cwd=destination)
    _git("add", "-A", cwd=destination)
    _git("commit", "-q", "-m", "snapshot", cwd=destination)
    return destination


@pytest.fixture(scope="module")
def try_repo(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`pre-commit try-repo <this repository> HOOK --files FILES` in a fresh
    git project; the hooks' environment is built once for the module."""
    base = tmp_path_factory.mktemp("precommit")
    hook_repo = _snapshot(base / "hook")
    env = {**os.environ, "PRE_COMMIT_HOME": str(base / "cache"), "NO_COLOR": "1"}

    def run(project: Path, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
        if not (project / ".git").exists():
            _git("init", "-q", cwd=project)
        _git("add", "-A", cwd=project)
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook,
             "--files", *files],
            cwd=project, capture_output=True, text=True, env=env, timeout=900,
        )
    return run


def test_try_repo_fails_on_a_leak_and_passes_on_clean_code(
    tmp_path: Path, try_repo: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    (tmp_path / "leaky.py").write_text(LOOP)
    (tmp_path / "clean.py").write_text(CLEAN)
    leaky = try_repo(tmp_path, "connclose", "leaky.py", "clean.py")
    assert leaky.returncode == 1, leaky.stdout + leaky.stderr
    assert "leaky.py:6:9: CCL003" in leaky.stdout
    assert "clean.py" not in leaky.stdout.split("- hook id: connclose")[-1]
    clean = try_repo(tmp_path, "connclose", "clean.py")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout


def test_fix_hook_rewrites_the_file_and_fails_once(
    tmp_path: Path, try_repo: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    (tmp_path / "download.py").write_text(UNCLOSED)
    first = try_repo(tmp_path, "connclose-fix", "download.py")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert "with requests.Session() as session:" in (tmp_path / "download.py").read_text()
    second = try_repo(tmp_path, "connclose-fix", "download.py")
    assert second.returncode == 0, second.stdout + second.stderr
