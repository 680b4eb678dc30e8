"""Run the generated programs outside pytest: counts, failures, regressions.

    python tests/differential/sweep.py [--long] [--save] [--only SUBSTRING]

Prints one line per failing program and the totals (generated, with
findings, fixed, behaviour changed). ``--save`` writes each failing program
to ``regressions/<id>.py`` (the corpus the test always runs) and prints the
manifest entries for ``known_broken.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from differential import corpus  # noqa: E402
from differential.generator import Program, ci_programs, long_programs  # noqa: E402
from differential.runner import Verdict, Worker, judge  # noqa: E402
from differential.server import serving  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--long", action="store_true")
    parser.add_argument("--save", action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--show", action="store_true", help="print each failure in full")
    args = parser.parse_args()
    programs = long_programs() if args.long else ci_programs()
    programs = [p for p in programs if args.only in p.id]
    started = time.perf_counter()
    counts: Counter[str] = Counter(generated=len(programs))
    failures: list[tuple[Program, Verdict]] = []
    worker = Worker()
    with serving() as server:
        for program in programs:
            verdict = judge(program.source, program.unsafe, worker, server.url)
            counts["with findings"] += verdict.fix.findings > 0
            counts["fixed"] += verdict.fix.fixed > 0
            if not verdict.ok:
                failures.append((program, verdict))
                print(f"FAIL {program.id}: {'; '.join(verdict.problems)}")
                if args.show:
                    print(verdict.explain(program.source))
    worker.close()
    counts["behaviour changed"] = len(failures)
    print(dict(counts), f"in {time.perf_counter() - started:.0f}s")
    if args.save:
        for program, verdict in failures:
            corpus.save(program, verdict)
        print("\n".join(f"    {program.id!r}: {reason(verdict)!r},"
                        for program, verdict in failures))
    return 0


def reason(verdict: Verdict) -> str:
    """A manifest entry's reason: what went wrong, without the outputs."""
    before, after = verdict.before, verdict.after
    if after is None:
        return verdict.problems[0]
    assert before is not None
    if after.error != before.error:
        return f"after the fix main raises {after.error}"
    if after.thread_errors != before.thread_errors:
        return f"after the fix a thread raises {', '.join(after.thread_errors)}"
    if after.stdout != before.stdout:
        return "after the fix the output differs (data read after the block is lost)"
    return "after the fix more is left open at exit"


if __name__ == "__main__":
    sys.exit(main())
