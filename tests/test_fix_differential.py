"""Differential test of ``--fix`` (issue 12, SPEC §4 "never changes what the
program does"): generated programs run against a 127.0.0.1 server before and
after the fix must exit alike, print alike, raise the same exception types
and leave nothing more open; the fixed code must compile and a second fix
must change nothing.

The generated set is deterministic (``differential.generator``); set
``CONNCLOSE_DIFF_LONG=1`` for the long mode (thousands of programs). Every
program that ever failed is kept in ``differential/regressions`` and always
run. ``KNOWN_BROKEN`` (``differential.known_broken``) lists what fails with
today's fixer: strict xfails, so each one turns red the day it is fixed and
its entry must go.
"""

from __future__ import annotations

import os
import textwrap
from typing import Iterator

import pytest

from differential import corpus
from differential.generator import Program, ci_programs, long_programs
from differential.known_broken import KNOWN_BROKEN
from differential.runner import Run, Worker, differences, fix, judge
from differential.server import LoopbackServer, serving

LONG = os.environ.get("CONNCLOSE_DIFF_LONG") == "1"
PROGRAMS = long_programs() if LONG else ci_programs()
CASES = corpus.cases()


@pytest.fixture(scope="module")
def loopback() -> Iterator[LoopbackServer]:
    with serving() as server:
        yield server


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    worker = Worker()
    yield worker
    worker.close()


def _param(name: str, value: object) -> object:
    """A parameter, strictly expected to fail while its name is in the manifest."""
    broken = KNOWN_BROKEN.get(name)
    marks = [pytest.mark.xfail(strict=True, reason=broken)] if broken else []
    return pytest.param(value, id=name, marks=marks)


@pytest.mark.parametrize("program", [_param(p.id, p) for p in PROGRAMS])
def test_fix_keeps_behaviour(program: Program, worker: Worker, loopback: LoopbackServer) -> None:
    verdict = judge(program.source, program.unsafe, worker, loopback.url)
    assert verdict.ok, verdict.explain(program.source)


@pytest.mark.parametrize("case", [_param(c.name, c) for c in CASES])
def test_regression_keeps_behaviour(case: corpus.Case, worker: Worker,
                                    loopback: LoopbackServer) -> None:
    verdict = judge(case.source, case.unsafe, worker, loopback.url)
    assert verdict.ok, verdict.explain(case.source)


# --- the harness itself: it must see what it claims to see


def test_enough_programs_with_stable_unique_ids() -> None:
    ids = [p.id for p in ci_programs()]
    assert len(ids) >= 300
    assert len(set(ids)) == len(ids)
    assert ids == [p.id for p in ci_programs()]  # deterministic: the manifest stays valid
    assert len(long_programs()) >= 2000


def test_every_generated_program_compiles() -> None:
    for program in PROGRAMS:
        compile(program.source, program.id, "exec")


def test_manifest_names_only_existing_programs() -> None:
    """A stale entry would hide nothing and mislead whoever reads it."""
    known = {p.id for p in long_programs()} | {c.name for c in CASES}
    assert set(KNOWN_BROKEN) <= known


def test_every_known_broken_program_is_in_the_corpus() -> None:
    names = {c.name for c in CASES}
    generated = {p.id for p in PROGRAMS}
    assert {name for name in KNOWN_BROKEN if name in generated} <= names


LEAKY = """
import requests


def main(url):
    session = requests.Session()
    print(session.get(url + "small").status_code)
"""


def test_worker_counts_what_a_program_leaves_open(
    worker: Worker, loopback: LoopbackServer,
) -> None:
    leaky = worker.run(LEAKY, loopback.url)
    closed = worker.run(LEAKY + "    session.close()\n", loopback.url)
    assert (leaky.stdout, leaky.open) == ("200\n", {"requests.Session": 1})
    assert (closed.stdout, closed.open) == ("200\n", {})


def test_worker_reports_exception_types_and_thread_errors(
    worker: Worker, loopback: LoopbackServer,
) -> None:
    program = textwrap.dedent("""
        import threading


        def main(url):
            thread = threading.Thread(target=lambda: 1 / 0)
            thread.start()
            thread.join()
            print("joined")
            raise KeyError(url)
    """)
    run = worker.run(program, loopback.url)
    assert (run.stdout, run.error) == ("joined\n", "KeyError")
    assert run.thread_errors == ("ZeroDivisionError",)


def test_worker_sees_a_stream_read_after_close_lose_data(
    worker: Worker, loopback: LoopbackServer,
) -> None:
    """The silent failure the fixer causes with requests: the comparison
    must see it as a change of output."""
    read = textwrap.dedent("""
        import requests


        def main(url):
            r = requests.get(url + "chunked", stream=True)
            it = r.iter_content(4)
            {close}
            print(sum(len(p) for p in it))
    """)
    before = worker.run(read.format(close="pass"), loopback.url)
    after = worker.run(read.format(close="r.close()"), loopback.url)
    assert before.stdout == "32\n" and after.stdout == "0\n"
    assert differences(before, after) == ["output '32\\n' -> '0\\n'"]


def test_differences_flag_more_left_open_and_never_less() -> None:
    none, one = Run("x\n", None, (), {}), Run("x\n", None, (), {"httpx.Client": 1})
    assert differences(one, none) == []
    assert differences(none, one) == ["left more open: {} -> {'httpx.Client': 1}"]


def test_fix_reports_a_second_fix_that_changes_the_code() -> None:
    program = next(p for p in PROGRAMS if p.id == "direct-httpx")
    result = fix(program.source, unsafe=False)
    assert result.fixed == 1 and result.problems == ()
    assert "with httpx.Client() as s:" in result.source
