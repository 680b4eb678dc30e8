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
            # Not a failure (nothing more is open), but the fix did not stop the leak.
            counts["fixed, still as much open"] += bool(
                verdict.ok and verdict.after and verdict.before
                and verdict.after.open_total == verdict.before.open_total > 0)
            if not verdict.ok:
                failures.append((program, verdict))
                print(f"FAIL {program.id}: {'; '.join(verdict.problems)}")
                if args.show:
                    print(verdict.explain(program.source))
            elif args.show and verdict.before and verdict.after and verdict.after.open_total:
                print(f"STILL OPEN {program.id}: {verdict.before.open} -> {verdict.after.open}")
    worker.close()
    counts["behaviour changed"] = len(failures)
    print(dict(counts), f"in {time.perf_counter() - started:.0f}s")
    if args.save:
        for program, verdict in failures:
            corpus.save(program, verdict)
        groups: dict[str, list[str]] = {}
        for program, verdict in failures:
            groups.setdefault(reason(program.id, verdict), []).append(program.id)
        for text, ids in groups.items():  # in known_broken.py's _BY_REASON form
            print(f"    {text!r}: [", *(f"        {pid!r}," for pid in ids), "    ],", sep="\n")
    return 0


# What was used after the fix's block, by shape (the id's first part).
WHAT = {
    "alias": ("an alias of the client (if-expression, `or`, walrus, annotated) "
              "used after the `with`"),
    "bound_method": "a bound method `g = s.get` called after the `with`",
    "method_dict": "a bound method kept in a dict called after the `with`",
    "partial": "`functools.partial(s.get, ...)` called after the `with`",
    "genexp": "a generator expression of requests consumed after the `with`",
    "map_bound": "`map(s.get, ...)` consumed after the `with`",
    "generator_helper": "a generator over the client consumed after the `with`",
    "thread_bound": "a thread started in the `with` requests after it",
    "executor": "an executor job submitted in the `with` runs after it",
    "task": "a task created in the `with` runs after it",
    "ensure_future": "a future created in the `with` runs after it",
    "gather": "coroutines created in the `with` are gathered after it",
    "try_finally_derived": "a bound method called in `finally:` after the `with`",
    "except_derived": "a bound method called in `except:` after the `with`",
    "loop_then_bound": "a bound method called after the `with`",
    "conditional_return_bound_true": "a bound method returned from inside the `with`",
    "derived_response": "a streamed response read after its client's `with`",
    "stream_iterator_after": "an iterator or raw stream of the response consumed after its `with`",
    "stream_next_then_rest": "an iterator of the response stepped after its `with`",
    "stream_bound_iter": "a bound iterator method of the response called after its `with`",
    "stream_genexp": "a generator expression over the response consumed after its `with`",
    "stream_helper_generator": "a generator over the response consumed after its `with`",
    "loop_return_genexp": ("loop fix around `return (generator expression)`: "
                           "the session is used after its `with`"),
    "hoist_state_persists": "hoisted session: state set in one iteration persists into the next",
}


def reason(program_id: str, verdict: Verdict) -> str:
    """A manifest entry's reason: what was used too late, and what it did."""
    shape = program_id.split("-", 1)[0]
    what = WHAT.get("alias" if shape.startswith("alias_") else shape, shape)
    return f"{what}: {effect(verdict)}"


def effect(verdict: Verdict) -> str:
    before, after = verdict.before, verdict.after
    if after is None or before is None:
        return verdict.problems[0]
    if after.error != before.error:
        return f"main raises {after.error}"
    if after.thread_errors != before.thread_errors:
        return f"a thread raises {', '.join(after.thread_errors)}"
    if after.stdout != before.stdout:
        return "the output differs (no exception: data lost or state changed)"
    return "more is left open at exit"


if __name__ == "__main__":
    sys.exit(main())
