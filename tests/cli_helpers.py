"""Running `connclose` in-process and in a subprocess, for the CLI tests."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from flake8_connclose.cli import main

LOOP = """\
import requests


def fetch_all(urls):
    for url in urls:
        requests.get(url)
"""
CLEAN = "import requests\n\n\ndef fetch(url):\n    return requests.get(url).text\n"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def positions(self) -> set[tuple[str, int, int, str]]:
        """(file name, line, column, code) of each diagnostic in JSON output."""
        return {(Path(d["path"]).name, d["line"], d["column"], d["code"]) for d in self.json()}


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> Run:
    """`connclose ARGS` in this process."""
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def run_process(*args: str | Path, cwd: Path | None = None, stdin: bytes | None = None,
                env: dict[str, str] | None = None) -> Run:
    """`python -m flake8_connclose ARGS` in a new process."""
    proc = subprocess.run([sys.executable, "-m", "flake8_connclose", *map(str, args)],
                          input=stdin, capture_output=True, cwd=cwd, env=env)
    return Run(proc.returncode, proc.stdout.decode(), proc.stderr.decode())
