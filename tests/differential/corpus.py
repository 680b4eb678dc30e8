"""The regression corpus: every program that ever failed, one file each.

A file is the program exactly as generated, after a header of comments
that says whether it runs with ``--unsafe-fixes`` and what went wrong when
it was saved (for the reader; the test judges it afresh).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from differential.generator import Program
from differential.runner import Verdict

REGRESSIONS = Path(__file__).with_name("regressions")
UNSAFE = "# differential: --unsafe-fixes"


@dataclass(frozen=True)
class Case:
    name: str  # the file's stem: the generated program's id
    source: str
    unsafe: bool


def save(program: Program, verdict: Verdict) -> Path:
    """Write ``program`` to the corpus, unless a file of that name exists."""
    REGRESSIONS.mkdir(exist_ok=True)
    path = REGRESSIONS / f"{program.id}.py"
    if not path.exists():
        seen = "; ".join(verdict.problems).replace("\n", "\\n")
        header = [UNSAFE] if program.unsafe else []
        header.append(f"# differential: failed when saved: {seen[:300]}")
        path.write_text("\n".join(header) + "\n" + program.source, encoding="utf-8")
    return path


def cases() -> list[Case]:
    return [Case(path.stem, path.read_text(encoding="utf-8"),
                 path.read_text(encoding="utf-8").startswith(UNSAFE))
            for path in sorted(REGRESSIONS.glob("*.py"))]
