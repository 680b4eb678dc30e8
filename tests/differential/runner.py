"""Fix a program, run it before and after, and say what changed.

Only public entry points of the fixer are used (``check_source`` and
``apply_fixes``, what ``connclose --fix`` runs), so this survives refactors
of the planners.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from flake8_connclose.engine import check_source
from flake8_connclose.fixes import apply_fixes

WORKER = Path(__file__).with_name("worker.py")
TIMEOUT = 30.0  # seconds for one program; the loopback server answers in milliseconds


@dataclass(frozen=True)
class Run:
    """What one execution of ``main(url)`` did."""

    stdout: str
    error: str | None  # the exception's type name, None when main returned
    thread_errors: tuple[str, ...]
    open: dict[str, int]
    message: str | None = None  # for the reader only: never compared

    @property
    def open_total(self) -> int:
        return sum(self.open.values())

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Run:
        return cls(data["stdout"], data["error"], tuple(data["thread_errors"]),
                   dict(data["open"]), data.get("message"))


TIMED_OUT = Run("", "Timeout", (), {}, "no answer in time")


class Worker:
    """One subprocess that executes programs one after another."""

    def __init__(self) -> None:
        self._log = tempfile.TemporaryFile(mode="w+")  # the worker's stderr, read on failure
        self._process: subprocess.Popen[str] | None = None

    def run(self, source: str, url: str) -> Run:
        process = self._process or self._start()
        assert process.stdin and process.stdout
        process.stdin.write(json.dumps({"source": source, "url": url}) + "\n")
        process.stdin.flush()
        line = _read_line(process.stdout, TIMEOUT)
        if line is None:  # hung or crashed: start afresh for the next program
            self.close()
            return TIMED_OUT
        return Run.from_json(json.loads(line))

    def _start(self) -> subprocess.Popen[str]:
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env["NO_PROXY"] = "127.0.0.1"
        self._process = subprocess.Popen(
            [sys.executable, str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._log, text=True, env=env, bufsize=1)
        assert self._process.stdout
        if _read_line(self._process.stdout, 60.0) is None:
            self._log.seek(0)
            raise RuntimeError(f"the differential worker did not start:\n{self._log.read()}")
        return self._process

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


def _read_line(stream: IO[str], timeout: float) -> str | None:
    ready, _, _ = select.select([stream], [], [], timeout)
    line = stream.readline() if ready else ""
    return line or None


@dataclass(frozen=True)
class Fix:
    """What ``--fix`` (``unsafe``: ``--fix --unsafe-fixes``) made of a program."""

    source: str
    findings: int
    fixed: int
    problems: tuple[str, ...] = ()


def fix(source: str, unsafe: bool) -> Fix:
    """Apply the fixes, then check the promises that need no run: the result
    compiles and a second ``--fix`` leaves it as it is."""
    findings = check_source(source)
    result = apply_fixes(source, findings, unsafe=unsafe)
    problems = []
    try:
        compile(result.source, "<fixed>", "exec")
    except SyntaxError as exc:
        return Fix(result.source, len(findings), len(result.fixed), (f"does not compile: {exc}",))
    if result.changed:
        again = apply_fixes(result.source, check_source(result.source), unsafe=unsafe)
        if again.source != result.source:
            problems.append("a second --fix changed it again")
    return Fix(result.source, len(findings), len(result.fixed), tuple(problems))


def differences(before: Run, after: Run) -> list[str]:
    """How the fixed program's run differs from the original's, worst first."""
    found = []
    if after.error != before.error:
        found.append(f"exception {before.error} -> {after.error}")
    if after.thread_errors != before.thread_errors:
        found.append(f"thread exceptions {list(before.thread_errors)} -> "
                     f"{list(after.thread_errors)}")
    if after.stdout != before.stdout:
        found.append(f"output {before.stdout!r} -> {after.stdout!r}")
    if after.open_total > before.open_total:
        found.append(f"left more open: {before.open} -> {after.open}")
    return found


@dataclass
class Verdict:
    """The whole story of one program: its fix, both runs, what went wrong."""

    fix: Fix
    before: Run | None = None
    after: Run | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def explain(self, original: str) -> str:
        parts = ["; ".join(self.problems), "--- original ---", original,
                 "--- fixed ---", self.fix.source]
        for name, run in (("before", self.before), ("after", self.after)):
            if run is not None:
                parts.append(f"--- {name}: {run} ---")
        return "\n".join(parts)


def judge(source: str, unsafe: bool, worker: Worker, url: str) -> Verdict:
    """Fix ``source``, run both versions, and collect every broken promise."""
    fixed = fix(source, unsafe)
    verdict = Verdict(fixed, problems=list(fixed.problems))
    verdict.before = worker.run(source, url)
    if verdict.before.error == "Timeout":
        verdict.problems.append("the original program timed out: the generator is wrong")
        return verdict
    if fixed.source != source and not any("compile" in p for p in fixed.problems):
        verdict.after = worker.run(fixed.source, url)
        verdict.problems += differences(verdict.before, verdict.after)
    return verdict
