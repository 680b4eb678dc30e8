"""Speed benchmark: `connclose` and the flake8 plugin against the tools a user
already runs, on the same real code, in one run; the budgets it holds are
those of docs/performance.md.

From a clone::

    python -m pip install '.[bench]' && python tests/benchmarks/run.py

``--quick`` runs a small subset (under three minutes once the corpus is
cached); two budgets set on the full corpus (all cores against one, the
HTTP-heavy files) are shown there as n/a, with their ratio on the subset.
The first run downloads pinned releases with ``pip download --no-deps`` into
``.bench-cache/`` (git-ignored) and unpacks their ``.py`` files; later runs
reuse them. A full run prints every ratio with its budget and ``ok``/``OVER``,
and writes ``docs/performance.md`` and the bar chart ``docs/benchmark.svg``.

How the comparisons are kept fair:

* Every tool gets the same files: the corpus holds only ``.py`` files and each
  tool is given connclose's default exclude list, so none skips what another
  checks; ``--isolated`` (and ruff's ``--no-respect-gitignore``) keep any
  configuration file out of it.
* "flake8 plain" and "flake8 + plugin" are the same flake8, the same command
  line (``--extend-select CCL``) and the same launcher; the only difference is
  that the plain launcher drops this package's entry point from flake8's
  plugin list, as if it were not installed. The two are run alternately, and
  each plugin run is also compared with the plain run beside it.
* The floor is one Python process that reads and ``ast.parse``-s every file:
  what any AST linter must at least pay.
* Children run with ``PYTHONDONTWRITEBYTECODE`` unset, so imports come from
  byte code as in a normal install; a warm-up run fills the caches.
"""

from __future__ import annotations

import argparse
import datetime
import html
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from fnmatch import fnmatch
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Sequence

ROOT = Path(__file__).resolve().parents[2]
COMMAND = "python -m pip install '.[bench]' && python tests/benchmarks/run.py"

# Pinned releases. Sources where the tests hold most of the HTTP calls (and
# so the findings and the fixes); wheels for the large packages, whose source
# archives would add a test suite bigger than the package.
CORPUS: tuple[tuple[str, str, str], ...] = (
    # (project, version, "sdist" or "wheel")
    ("requests", "2.34.2", "sdist"),
    ("httpx", "0.28.1", "sdist"),
    ("aiohttp", "3.14.5", "sdist"),
    ("urllib3", "2.8.0", "sdist"),
    ("PyGithub", "2.10.0", "sdist"),
    ("python-gitlab", "8.6.0", "sdist"),
    ("streamlink", "8.6.3", "sdist"),
    ("flask", "3.1.3", "sdist"),
    ("pip", "26.3", "wheel"),
    ("setuptools", "84.2.1", "wheel"),
    ("django", "5.2.19", "wheel"),
)
QUICK = ("requests", "httpx", "flask")

BUDGETS = {
    "plugin": 1.05,  # flake8 + plugin / plain flake8
    "vs_flake8": 0.10,  # connclose --jobs 1 / flake8 -j 1
    "vs_floor": 1.5,  # connclose --jobs 1 / read + ast.parse
    "parallel": 1.0,  # connclose all cores / --jobs 1 (must be below)
    "fix": 1.5,  # connclose --fix / libcst round trip of the rewritten files
    "fix_nothing": 1.10,  # connclose --fix with nothing to fix / connclose check
    "rss_mb": 200.0,  # peak RSS of one connclose process
    "linear": 1.10,  # time per line at 4x the corpus / at 1x (start-up excluded)
    "runtime_on": 1.05,  # pytest --connclose / pytest without the plugin, N requests
    # pytest with the plugin installed but off / without it. Off does nothing
    # per request; the budget is what this measurement resolves on a shared
    # 2-core machine (--connclose has measured faster than no plugin at all).
    "runtime_off": 1.05,
}

# Run in a child: read and parse every file listed in argv[1], nothing else.
FLOOR = """\
import ast, sys, warnings
warnings.simplefilter("ignore")
with open(sys.argv[1], encoding="utf-8") as listing:
    paths = listing.read().splitlines()
for path in paths:
    with open(path, "rb") as file:
        data = file.read()
    try:
        ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
"""

# Run in a child: libcst's parse and code generation of every file listed.
LIBCST_ROUND_TRIP = """\
import sys
import libcst
with open(sys.argv[1], encoding="utf-8") as listing:
    paths = listing.read().splitlines()
for path in paths:
    with open(path, "rb") as file:
        libcst.parse_module(file.read()).code
"""

# Run in a child: the plugin's own cost, file by file, as flake8 would call it
# (its tree, its lines) but without flake8 around it: no noise from anything
# else. Prints the import time and the time spent in the plugin, in seconds.
PLUGIN_COST = """\
import ast, io, sys, time, tokenize, warnings
import flake8.checker, flake8.main.application, flake8.plugins.pyflakes  # loaded before it
warnings.simplefilter("ignore")
start = time.perf_counter()
from flake8_connclose.plugin import Plugin
imported = time.perf_counter() - start
with open(sys.argv[1], encoding="utf-8") as listing:
    paths = listing.read().splitlines()
spent = 0.0
for path in paths:
    with open(path, "rb") as file:
        data = file.read()
    try:
        tree = ast.parse(data)
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
        lines = io.StringIO(data.decode(encoding)).readlines()
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        continue
    start = time.perf_counter()
    for _ in Plugin(tree, lines).run():
        pass
    spent += time.perf_counter() - start
print(imported, spent)
"""

# flake8 with (`plugin`) or without (`plain`) this package's entry point.
FLAKE8 = """\
import sys
from flake8.plugins import finder
if sys.argv.pop(1) == "plain":
    _find = finder.find_plugins
    def find_plugins(cfg, opts):
        return [p for p in _find(cfg, opts) if p.package != "flake8-connclose"]
    finder.find_plugins = find_plugins
from flake8.main.cli import main
sys.exit(main())
"""


# Run by pytest in a child: requests to the benchmark's loopback server, all
# closed as they should be, so that `--connclose` has everything to watch and
# nothing to report. What it adds to this run is the runtime companion's cost.
RUNTIME_TEST = """\
import os

import requests

URL = os.environ["CONNCLOSE_BENCH_URL"]
N = int(os.environ["CONNCLOSE_BENCH_N"])


def test_requests():
    with requests.Session() as session:
        for _ in range(N):
            with session.get(URL, stream=True) as response:
                response.content
    for _ in range(N // 10):  # the functional API: a Session per call
        requests.get(URL).content
"""
RUNTIME_REQUESTS = 1000


# -- the corpus ---------------------------------------------------------------

@dataclass(frozen=True)
class Package:
    project: str
    version: str
    kind: str

    @property
    def key(self) -> str:
        return f"{self.project.lower().replace('-', '_')}-{self.version}"


@dataclass
class Corpus:
    """The unpacked packages and the list of files every tool checks."""

    roots: list[Path]
    files: list[Path]
    lines: int
    per_package: list[tuple[Package, int, int]] = field(default_factory=list)


def _packages(quick: bool) -> list[Package]:
    chosen = [Package(*row) for row in CORPUS]
    if quick:
        chosen = [p for p in chosen if p.project in QUICK]
    return chosen


def _download(package: Package, cache: Path) -> Path:
    """The package's archive, downloaded once."""
    folder = cache / "downloads" / package.key
    found = sorted(folder.glob("*")) if folder.is_dir() else []
    if found:
        return found[0]
    print(f"  downloading {package.project}=={package.version} ({package.kind})", flush=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        binary = (["--no-binary", package.project] if package.kind == "sdist"
                  else ["--only-binary", ":all:"])
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                               "--disable-pip-version-check", *binary, "--dest", tmp,
                               f"{package.project}=={package.version}"],
                              capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"pip download failed:\n{done.stdout}{done.stderr}")
        (archive,) = Path(tmp).iterdir()
        folder.mkdir(parents=True, exist_ok=True)
        return Path(shutil.move(str(archive), folder / archive.name))


def _unpack(package: Package, archive: Path, cache: Path) -> Path:
    """Only the ``.py`` files, once; a marker says the unpacking finished."""
    target = cache / "corpus" / package.key
    done = target / ".unpacked"
    if done.exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    if archive.name.endswith(".whl"):
        with zipfile.ZipFile(archive) as wheel:
            for name in wheel.namelist():
                if name.endswith(".py"):
                    _write(target, name, wheel.read(name))
    else:
        with tarfile.open(archive) as sdist:
            for member in sdist:
                extracted = sdist.extractfile(member) if member.isfile() else None
                if extracted is not None and member.name.endswith(".py"):
                    # Drop the archive's top folder (`requests-2.34.2/`).
                    _write(target, member.name.partition("/")[2], extracted.read())
    done.touch()
    return target


def _write(root: Path, name: str, data: bytes) -> None:
    parts = [p for p in name.split("/") if p not in ("", ".", "..")]
    if not parts:
        return
    path = root.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _walk(roots: Sequence[Path], exclude: Sequence[str]) -> list[Path]:
    """The `.py` files below ``roots`` that no exclude pattern matches by name."""
    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not any(fnmatch(d, p) for p in exclude))
            found += [Path(folder, f) for f in sorted(files)
                      if f.endswith(".py") and not any(fnmatch(f, p) for p in exclude)]
    return found


def _count_lines(paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        data = path.read_bytes()
        total += data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    return total


def build_corpus(cache: Path, quick: bool, exclude: Sequence[str]) -> Corpus:
    roots, rows = [], []
    for package in _packages(quick):
        root = _unpack(package, _download(package, cache), cache)
        files = _walk([root], exclude)
        roots.append(root)
        rows.append((package, len(files), _count_lines(files)))
    files = _walk(roots, exclude)
    return Corpus(roots, files, sum(r[2] for r in rows), rows)


def _linked_tree(files: Sequence[Path], base: Path, target: Path, copy: bool = False) -> None:
    """``files`` (below ``base``) again below ``target``: hard links for a
    read-only tree, real copies for one that will be written to."""
    shutil.rmtree(target, ignore_errors=True)
    for path in files:
        new = target / path.relative_to(base)
        new.parent.mkdir(parents=True, exist_ok=True)
        if copy:
            shutil.copyfile(path, new)
            continue
        try:
            os.link(path, new)
        except OSError:
            shutil.copyfile(path, new)


# -- timing -------------------------------------------------------------------

@dataclass
class Timing:
    name: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss_kb: int = 0
    note: str = ""
    timed_out: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def min(self) -> float:
        return min(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NO_COLOR"] = "1"
    return env


class TimedOut(Exception):
    """A run was stopped at its time limit."""


def run_once(argv: Sequence[str], limit: float | None = None) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds (with any worker processes), peak RSS of the
    largest process in KiB, exit status. Output is thrown away; stderr is kept
    to explain a crash. A run still going after ``limit`` seconds is stopped,
    with its worker processes."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=ROOT, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, env=_child_env(),
                                start_new_session=limit is not None)
        timer = None
        if limit is not None:
            timer = threading.Timer(limit, _stop_group, (proc.pid,))
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer is not None:
            timer.cancel()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if limit is not None and wall >= limit and code < 0:
            _stop_group(proc.pid)  # workers left behind
            raise TimedOut(f"stopped after {limit:.0f}s")
        if code not in (0, 1):
            err.seek(0)
            message = err.read().decode("utf-8", "replace")[-3000:]
            raise RuntimeError(f"{' '.join(argv[:6])}... exited {code}:\n{message}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code


def _stop_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def measure(name: str, argv: Sequence[str], runs: int, setup: Callable[[], None] | None = None,
            budget_s: float = 90.0, limit: float | None = None) -> Timing:
    """A warm-up, then ``runs`` counted runs (fewer when one run is so long that
    they would not fit in ``budget_s``; a single run when even the warm-up did
    not, and then the warm-up is the sample). A run stopped at ``limit``
    seconds ends the measurement: the timing is then a lower bound."""
    timing = Timing(name)
    try:
        if setup:
            setup()
        warm, warm_cpu, rss, _ = run_once(argv, limit)
        if warm > budget_s:
            timing.walls, timing.cpus, timing.rss_kb = [warm], [warm_cpu], rss
            timing.note = "1 run, too long to repeat"
            return timing
        for _ in range(max(1, min(runs, int(budget_s // max(warm, 1e-3))))):
            if setup:
                setup()
            wall, cpu, rss, _ = run_once(argv, limit)
            timing.walls.append(wall)
            timing.cpus.append(cpu)
            timing.rss_kb = max(timing.rss_kb, rss)
    except TimedOut as stop:
        assert limit is not None
        timing.walls, timing.cpus, timing.note = [limit], [limit], str(stop)
        timing.timed_out = True
    return timing


def measure_rounds(commands: Sequence[tuple[str, Sequence[str]]], runs: int) -> list[Timing]:
    """Commands compared with each other, run in rounds: a warm-up round, then
    ``runs`` rounds of one run each, in an order that turns every round, so
    that a machine getting busier or quieter (others share it) weighs on all
    of them alike rather than on whichever ran last."""
    timings = [Timing(name) for name, _ in commands]
    for _, argv in commands:
        run_once(argv)
    for i in range(runs):
        shift = i % len(commands)
        for index in [*range(shift, len(commands)), *range(shift)][:: -1 if i % 2 else 1]:
            wall, cpu, rss, _ = run_once(commands[index][1])
            timing = timings[index]
            timing.walls.append(wall)
            timing.cpus.append(cpu)
            timing.rss_kb = max(timing.rss_kb, rss)
    return timings


def paired_ratio(a: Timing, b: Timing) -> float:
    """The median of b/a over the rounds: each run against its neighbour."""
    return statistics.median(y / x for x, y in zip(a.walls, b.walls))


# -- the tools ----------------------------------------------------------------

def _tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        sys.exit(f"{name} not found: install the benchmark's tools with `{COMMAND}`")
    return found


def _ruff() -> str:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-not-found]

        return str(find_ruff_bin())
    except Exception:  # an older ruff package, or ruff from elsewhere
        return _tool("ruff")


def _version(name: str, argv: Sequence[str]) -> str:
    out = subprocess.run(list(argv), capture_output=True, text=True, env=_child_env()).stdout
    words = out.split()
    return f"{name} {words[-1] if words[0] == name else words[0]}" if words else f"{name} ?"


def _has_fix(connclose: str) -> bool:
    out = subprocess.run([connclose, "--help"], capture_output=True, text=True,
                         env=_child_env()).stdout
    return "--fix" in out and "--unsafe-fixes" in out


# -- the report ---------------------------------------------------------------

@dataclass
class Verdict:
    """One budget: ok when ``value`` is at most ``budget`` (below it, if strict)."""

    label: str
    value: float
    budget: float
    detail: str
    unit: str = "x"
    strict: bool = False
    available: bool = True

    @property
    def ok(self) -> bool:
        if not self.available:
            return True
        return self.value < self.budget if self.strict else self.value <= self.budget

    def shown(self) -> tuple[str, str]:
        if self.unit == " MB":
            return f"{self.value:.0f} MB", f"{self.budget:g} MB"
        return f"{self.value:.3f}x", f"{self.budget:g}x"

    def line(self) -> str:
        if not self.available:
            return f"  {self.label:<46} {'n/a':>9}   {'':<8} {'':<5} {self.detail}"
        value, budget = self.shown()
        sign = "<" if self.strict else "<="
        mark = "ok" if self.ok else "OVER"
        return f"  {self.label:<46} {value:>9} {sign:>2} {budget:<7} {mark:<5} {self.detail}"


def _fmt(t: Timing) -> str:
    runs = f"{len(t.walls)} run{'s' if len(t.walls) != 1 else ''}"
    note = f"  [{t.note}]" if t.note else ""
    return (f"  {t.name:<46} min {t.min:8.3f}s  median {t.median:8.3f}s  "
            f"cpu {t.cpu:8.3f}s  ({runs}){note}")


def _machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                cpu = row.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        for row in Path("/proc/meminfo").read_text().splitlines():
            if row.startswith("MemTotal"):
                memory = f"{int(row.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    try:
        load = " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        load = "?"
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": memory,
            "os": f"{platform.system()} {platform.release()}",
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "load": load}


def svg_chart(bars: Sequence[tuple[str, float, bool]], title: str,
              caption: str = "median wall-clock time, lower is better") -> str:
    """A horizontal bar chart, fastest on top, drawn by hand: (label, seconds,
    is this project's)."""
    width, left, right, bar_h, gap, top = 760, 250, 90, 26, 12, 46
    height = top + len(bars) * (bar_h + gap) + 34
    longest = max(s for _, s, _ in bars) or 1.0
    scale = (width - left - right) / longest
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" '
           f'font-size="14" role="img" aria-label="{html.escape(title)}">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{left}" y="26" font-size="15" font-weight="bold" fill="#222">'
           f'{html.escape(title)}</text>']
    for i, (label, seconds, ours) in enumerate(sorted(bars, key=lambda b: b[1])):
        y = top + i * (bar_h + gap)
        w = max(2.0, seconds * scale)
        colour = "#d6a21e" if ours else "#8c8c8c"
        weight = "bold" if ours else "normal"
        out += [f'<text x="{left - 10}" y="{y + bar_h * 0.68:.1f}" text-anchor="end" '
                f'font-weight="{weight}" fill="#222">{html.escape(label)}</text>',
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" '
                f'fill="{colour}"/>',
                f'<text x="{left + w + 8:.1f}" y="{y + bar_h * 0.68:.1f}" fill="#222">'
                f'{seconds:.2f}s</text>']
    axis_y = top + len(bars) * (bar_h + gap) + 4
    out += [f'<line x1="{left}" y1="{top - 6}" x2="{left}" y2="{axis_y}" stroke="#444"/>',
            f'<text x="{left}" y="{axis_y + 20}" font-size="12" fill="#555">'
            f'{html.escape(caption)}</text>',
            "</svg>", ""]
    return "\n".join(out)


# -- the run ------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a small subset of the corpus and fewer runs (about three "
                             "minutes once downloaded); writes no docs unless --docs")
    parser.add_argument("--runs", type=int, default=None,
                        help="counted runs per command (default 5, quick 3)")
    parser.add_argument("--flake8-runs", type=int, default=None,
                        help="counted runs of each flake8 command (default 5)")
    parser.add_argument("--fix-limit", type=float, default=None, metavar="SECONDS",
                        help="stop a --fix run after this long (default 600, quick 30)")
    parser.add_argument("--cache", type=Path, default=ROOT / ".bench-cache",
                        help="download and unpack here (default: .bench-cache/)")
    parser.add_argument("--runtime-only", action="store_true",
                        help="measure only the runtime companion (`pytest --connclose`); "
                             "with --docs, update only its section of docs/performance.md")
    docs = parser.add_mutually_exclusive_group()
    docs.add_argument("--docs", dest="docs", action="store_true", default=None,
                      help="write docs/performance.md and docs/benchmark.svg")
    docs.add_argument("--no-docs", dest="docs", action="store_false")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)
    # Five even on --quick: the plugin costs 2-3% there, and the median of
    # three pairs of 9-second runs on a shared machine moves by as much.
    flake8_runs = args.flake8_runs or 5
    write_docs = (not args.quick) if args.docs is None else args.docs
    started = time.perf_counter()
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    machine = _machine()

    from flake8_connclose.cli import DEFAULT_EXCLUDE

    exclude = list(DEFAULT_EXCLUDE)
    exclude_arg = ",".join(exclude)
    args.cache.mkdir(parents=True, exist_ok=True)
    work = args.cache / "work"
    work.mkdir(exist_ok=True)

    if args.runtime_only:
        return _runtime_only(args.cache, runs, bool(args.docs), date, machine)
    print(f"connclose benchmark{' (quick)' if args.quick else ''} - {date}")
    print(f"machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']}, "
          f"{machine['os']}, {machine['python']}; load average {machine['load']}")
    corpus = build_corpus(args.cache, args.quick, exclude)
    print(f"corpus: {len(corpus.files)} files, {corpus.lines:,} lines")
    for package, files, lines in corpus.per_package:
        print(f"  {package.project + '==' + package.version:<24} {package.kind:<6} "
              f"{files:6} files {lines:9,} lines")
    listing = work / "files.txt"
    listing.write_text("".join(f"{p}\n" for p in corpus.files), encoding="utf-8")

    connclose, flake8_launch, ruff = _tool("connclose"), [sys.executable, "-c", FLAKE8], _ruff()
    versions = {"flake8": _version("flake8", [sys.executable, "-m", "flake8", "--version"]),
                "ruff": _version("ruff", [ruff, "--version"]),
                "connclose": _version("connclose", [connclose, "--version"])}
    print("tools: " + ", ".join(versions.values()))
    _check_same_files(ruff, corpus, exclude_arg)
    roots = [str(r) for r in corpus.roots]
    cc = [connclose, "--isolated", "--exclude", exclude_arg, "--quiet"]

    print("\ntimes (wall clock; cpu includes worker processes):", flush=True)
    results: dict[str, Timing] = {}

    def timed(key: str, t: Timing) -> Timing:
        results[key] = t
        print(_fmt(t), flush=True)
        return t

    cores = os.cpu_count() or 1
    floor, one, many, ruff_t = measure_rounds([
        ("read + ast.parse floor (1 process)", [sys.executable, "-c", FLOOR, str(listing)]),
        ("connclose --jobs 1", [*cc, "--jobs", "1", *roots]),
        (f"connclose (all {cores} cores)", [*cc, *roots]),
        ("ruff check --select S113", [ruff, "check", "--isolated", "--no-cache",
                                      "--no-respect-gitignore", "--quiet", "--exclude",
                                      exclude_arg, "--select", "S113", *roots]),
    ], runs)
    for key, t in (("floor", floor), ("cc1", one), ("ccN", many), ("ruff", ruff_t)):
        timed(key, t)
    f8 = ["--isolated", "-j", "1", "--exclude", exclude_arg, "--extend-select", "CCL", *roots]
    plain, plugin = measure_rounds([
        ("flake8 -j 1 (plain)", [*flake8_launch, "plain", *f8]),
        ("flake8 -j 1 + connclose plugin", [*flake8_launch, "plugin", *f8])], flake8_runs)
    timed("flake8", plain)
    timed("plugin", plugin)
    cost = subprocess.run([sys.executable, "-c", PLUGIN_COST, str(listing)], capture_output=True,
                          text=True, env=_child_env(), check=True).stdout.split()
    imported, spent = float(cost[0]), float(cost[1])
    print(f"  the plugin's own time, measured inside one process: {spent:.3f}s checking, "
          f"{imported * 1000:.0f} ms importing = "
          f"{(spent + imported) / plain.median:.1%} of plain flake8", flush=True)

    verdicts = [
        # Run in turns: the median of the run-by-run ratios, which a shared
        # machine's slow minute cannot put on one side only.
        Verdict("flake8 + plugin / plain flake8", paired_ratio(plain, plugin),
                BUDGETS["plugin"], f"ratio of medians: {plugin.median / plain.median:.3f}; "
                f"cpu time: {plugin.cpu / plain.cpu:.3f}; its own time alone: "
                f"+{(spent + imported) / plain.median:.1%}"),
        Verdict("connclose --jobs 1 / flake8 -j 1", one.median / plain.median,
                BUDGETS["vs_flake8"], f"{plain.median / one.median:.0f}x faster than flake8"),
        Verdict("connclose --jobs 1 / read + ast.parse floor", one.median / floor.median,
                BUDGETS["vs_floor"], "the pre-filter spares most files the parse"),
        Verdict(f"connclose all {cores} cores / --jobs 1", many.median / one.median,
                BUDGETS["parallel"], "all cores must be faster than one", strict=True),
        Verdict("peak RSS of a connclose process", max(one.rss_kb, many.rss_kb) / 1024,
                BUDGETS["rss_mb"], "largest of the main process and its workers",
                unit=" MB"),
    ]
    if args.quick:
        # Small inputs run in one process by design; the budget is for the full corpus.
        verdicts[3].available = False
        verdicts[3].detail = (f"{many.median / one.median:.3f}x on the quick corpus; "
                              "the budget applies to the full corpus")

    heavy = _http_heavy(corpus, work, cc, runs, results)
    if args.quick:
        # The budget is set on the full corpus's HTTP-heavy files; the quick
        # corpus's are a few test modules dense with clients, and start-up.
        heavy.available = False
        heavy.detail = (f"{heavy.value:.3f}x on the quick corpus ({heavy.detail}); "
                        "the budget applies to the full corpus")
    verdicts.append(heavy)
    verdicts.append(_scaling(corpus, work, cc, runs, results))
    runtime = _runtime(work, runs, results)
    verdicts += runtime
    fix_limit = args.fix_limit or (30.0 if args.quick else 600.0)
    fix = _fix(cc, corpus, work, runs, fix_limit, results) if _has_fix(connclose) else None
    if fix is None:
        for label in ("connclose --fix / libcst round trip",
                      "connclose --fix (nothing to fix) / check"):
            verdicts.append(Verdict(label, 0, 0, "connclose has no --fix yet", available=False))
    else:
        verdicts += fix

    print("\nbudgets (medians of the same run; for commands run in turns, of their"
          " run-by-run ratios):")
    for v in verdicts:
        print(v.line())
    over = [v for v in verdicts if not v.ok]
    elapsed = time.perf_counter() - started
    verdict = ("all budgets ok" if not over
               else f"{len(over)} OVER: " + "; ".join(v.label for v in over))
    summary = (f"SUMMARY: {verdict} | {len(corpus.files)} files, {corpus.lines:,} lines"
               " | connclose "
               f"{many.median:.2f}s, --jobs 1 {one.median:.2f}s, flake8 {plain.median:.2f}s, "
               f"flake8+plugin {plugin.median:.2f}s, ruff {ruff_t.median:.2f}s | "
               f"benchmark took {elapsed:.0f}s")
    if write_docs:
        _write_docs(date, machine, versions, corpus, results, verdicts, summary,
                    args.quick, runs, flake8_runs,
                    _runtime_section(date, machine, results, runtime, runs))
        print("\nwrote docs/performance.md and docs/benchmark.svg")
    print("\n" + summary)
    return 1 if over else 0


def _runtime_only(cache: Path, runs: int, write_docs: bool, date: str,
                  machine: dict[str, str]) -> int:
    print(f"connclose benchmark (runtime companion only) - {date}")
    results: dict[str, Timing] = {}
    verdicts = _runtime(cache / "work", runs, results)
    print("\nbudgets (for commands run in turns, the median of their run-by-run ratios):")
    for v in verdicts:
        print(v.line())
    if write_docs:
        _splice_runtime_section(_runtime_section(date, machine, results, verdicts, runs))
        print("\nwrote the runtime companion's section of docs/performance.md")
    return 0 if all(v.ok for v in verdicts) else 1


def _check_same_files(ruff: str, corpus: Corpus, exclude_arg: str) -> None:
    """ruff, given the same excludes, must list exactly the corpus' files."""
    out = subprocess.run([ruff, "check", "--isolated", "--no-cache", "--no-respect-gitignore",
                          "--exclude", exclude_arg, "--show-files",
                          *map(str, corpus.roots)], capture_output=True, text=True).stdout
    listed = {line.strip() for line in out.splitlines() if line.strip().endswith(".py")}
    if listed and listed != {str(p) for p in corpus.files}:
        print(f"  warning: ruff checks {len(listed)} files, the corpus has {len(corpus.files)}")


def _http_heavy(corpus: Corpus, work: Path, cc: Sequence[str], runs: int,
                results: dict[str, Timing]) -> Verdict:
    """The corpus' files that import an HTTP library (those the pre-filter
    lets through to the parse, so every one is analysed): connclose --jobs 1
    against the read + ast.parse floor of the same files."""
    from flake8_connclose.engine import may_have_findings

    heavy = [p for p in corpus.files
             if may_have_findings(p.read_text(encoding="utf-8", errors="replace"))]
    base = Path(os.path.commonpath([str(r) for r in corpus.roots]))
    tree = work / "http-heavy"
    _linked_tree(heavy, base, tree)
    listing = work / "http-heavy.txt"
    listing.write_text("".join(f"{tree / p.relative_to(base)}\n" for p in heavy),
                       encoding="utf-8")
    lines = _count_lines(heavy)
    print(f"  HTTP-heavy corpus: {len(heavy)} files that import an HTTP library, "
          f"{lines:,} lines", flush=True)
    floor, one = measure_rounds([
        ("read + ast.parse floor, HTTP-heavy", [sys.executable, "-c", FLOOR, str(listing)]),
        ("connclose --jobs 1, HTTP-heavy", [*cc, "--jobs", "1", str(tree)]),
    ], runs)
    for key, t in (("floor_http", floor), ("cc1_http", one)):
        results[key] = t
        print(_fmt(t), flush=True)
    return Verdict("connclose --jobs 1 / floor, HTTP-heavy files", one.median / floor.median,
                   BUDGETS["vs_floor"], f"{len(heavy)} files, {lines:,} lines: every one analysed")


def _scaling(corpus: Corpus, work: Path, cc: Sequence[str], runs: int,
             results: dict[str, Timing]) -> Verdict:
    """connclose --jobs 1 on half the files, then the corpus once, twice and
    four times over (hard-linked copies): the time per line, less the
    start-up (a run on an empty folder), must not grow with the size."""
    base = Path(os.path.commonpath([str(r) for r in corpus.roots]))
    empty = work / "scale-empty"
    shutil.rmtree(empty, ignore_errors=True)
    empty.mkdir()
    half = corpus.files[::2]
    _linked_tree(half, base, work / "scale-50")
    sizes: list[tuple[str, list[Path], int, int]] = [
        ("50%", [work / "scale-50"], len(half), _count_lines(half)),
        ("100%", list(corpus.roots), len(corpus.files), corpus.lines)]
    for times in (2, 4):
        target = work / f"scale-{times}00"
        shutil.rmtree(target, ignore_errors=True)
        for copy in range(times):
            _linked_tree(corpus.files, base, target / str(copy))
        sizes.append((f"{times}00%", [target], times * len(corpus.files),
                      times * corpus.lines))

    print("\nscaling: connclose --jobs 1 as the corpus grows (copies of it beyond 100%)",
          flush=True)
    timings = measure_rounds(
        [("connclose --jobs 1, no files", [*cc, "--jobs", "1", str(empty)])]
        + [(f"connclose --jobs 1 ({label})", [*cc, "--jobs", "1", *map(str, paths)])
           for label, paths, _, _ in sizes], runs)
    start = results["start-up"] = timings[0]
    print(f"  start-up (an empty folder): {start.median:.3f}s")
    print(f"  {'size':>6} {'files':>7} {'lines':>11} {'median':>9} {'us/line less start-up':>22}")
    per_line: dict[str, float] = {}
    for (label, _, files, lines), t in zip(sizes, timings[1:]):
        results[f"scale-{label}"] = t
        per_line[label] = (t.median - start.median) / lines
        print(f"  {label:>6} {files:7} {lines:11,} {t.median:8.3f}s {per_line[label] * 1e6:22.2f}")
    growth = per_line["400%"] / per_line["100%"]
    return Verdict("scaling: time per line, 4x corpus / 1x", growth, BUDGETS["linear"],
                   f"{per_line['100%'] * 1e6:.2f} us/line at 1x, "
                   f"{per_line['400%'] * 1e6:.2f} at 4x; start-up {start.median:.2f}s")


class _Loopback(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the session reuses one connection
    # Headers and body go out in two writes: without this, Nagle's algorithm
    # and delayed ACKs stall each request for tens of milliseconds.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        self.send_response(200)
        self.send_header("Content-Length", "1024")
        self.end_headers()
        self.wfile.write(b"x" * 1024)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _runtime(work: Path, runs: int, results: dict[str, Timing]) -> list[Verdict]:
    """One test making ``RUNTIME_REQUESTS`` requests to a 127.0.0.1 server,
    under pytest without this plugin, with it installed but off, and with
    `--connclose`, run in turns."""
    folder = work / "runtime"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # not the project's
    test = folder / "test_requests.py"
    test.write_text(RUNTIME_TEST, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Loopback)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    os.environ["CONNCLOSE_BENCH_URL"] = f"http://127.0.0.1:{server.server_address[1]}/"
    os.environ["CONNCLOSE_BENCH_N"] = str(RUNTIME_REQUESTS)
    os.environ["NO_PROXY"] = "127.0.0.1"
    # hypothesis's plugin, when installed, imports hypothesis at the end of
    # every run: seconds of noise around what is measured.
    pytest = [sys.executable, "-m", "pytest", "-q", "-c", str(folder / "pytest.ini"),
              "-p", "no:cacheprovider", "-p", "no:hypothesispytest", str(test)]
    requests = RUNTIME_REQUESTS + RUNTIME_REQUESTS // 10
    print(f"\nruntime companion: one test, {requests} requests to 127.0.0.1, in turns",
          flush=True)
    try:
        # Its exit status is 1 when pytest or requests is missing, as when
        # the test fails: neither may be timed as if it were the test.
        passed = subprocess.run([*pytest, "-p", "no:connclose"], capture_output=True,
                                text=True, cwd=ROOT, env=_child_env())
        if passed.returncode != 0:
            sys.exit(f"the runtime test does not pass (install `{COMMAND.split(' && ')[0]}`):\n"
                     f"{(passed.stdout + passed.stderr)[-2000:]}")
        absent, off, on = measure_rounds([
            ("pytest, no connclose plugin", [*pytest, "-p", "no:connclose"]),
            ("pytest, connclose plugin off", pytest),
            ("pytest --connclose", [*pytest, "--connclose"])], runs)
    finally:
        server.shutdown()
        server.server_close()
    for key, t in (("runtime-absent", absent), ("runtime-off", off), ("runtime-on", on)):
        results[key] = t
        print(_fmt(t), flush=True)
    # CPU time of the child, run by run: the cost is the client's work, and
    # the wall clock of a loopback loop on a shared machine is mostly the
    # scheduling of the server thread and of everybody else's work.
    per_request = (on.cpu - absent.cpu) / requests * 1e6
    return [
        Verdict("pytest --connclose / pytest without it (cpu)", _paired_cpu(absent, on),
                BUDGETS["runtime_on"], f"{requests} requests, {per_request:+.0f} us cpu a "
                f"request; wall clock: {paired_ratio(absent, on):.3f} run by run"),
        Verdict("pytest, plugin off / pytest without it (cpu)", _paired_cpu(absent, off),
                BUDGETS["runtime_off"], "off adds two options and nothing else; wall "
                f"clock: {paired_ratio(absent, off):.3f} run by run"),
    ]


def _paired_cpu(a: Timing, b: Timing) -> float:
    return statistics.median(y / x for x, y in zip(a.cpus, b.cpus))


def _runtime_section(date: str, machine: dict[str, str], results: dict[str, Timing],
                     verdicts: Sequence[Verdict], runs: int) -> list[str]:
    """The runtime companion's part of docs/performance.md."""
    rows = [results[key] for key in ("runtime-absent", "runtime-off", "runtime-on")]
    md = ["## Runtime companion", "",
          f"`pytest --connclose` on one test making "
          f"{RUNTIME_REQUESTS + RUNTIME_REQUESTS // 10:,} requests to a 127.0.0.1 server "
          f"(`{RUNTIME_REQUESTS}` through a session with `stream=True`, a tenth through "
          "`requests.get`), the three commands run in turns; whole pytest runs, start-up "
          f"included. Measured on {date}, {machine['cpu']}, {machine['cores']} cores, "
          f"load average {machine['load']}; {runs} counted runs.", "",
          "| command | min | median | cpu (median) | runs |",
          "| --- | ---: | ---: | ---: | ---: |"]
    md += [f"| {t.name} | {t.min:.3f} | {t.median:.3f} | {t.cpu:.3f} | {len(t.walls)} |"
           for t in rows]
    md += ["", "| ratio | value | budget | verdict | note |", "| --- | ---: | ---: | --- | --- |"]
    for v in verdicts:
        value, budget = v.shown()
        md.append(f"| {v.label} | {value} | ≤ {budget} | {'ok' if v.ok else 'OVER'} | "
                  f"{v.detail} |")
    return md + [""]


def _splice_runtime_section(section: list[str]) -> None:
    """Put the section into docs/performance.md in place of the one there, or
    before the summary: a `--runtime-only` run measures nothing else."""
    path = ROOT / "docs" / "performance.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    if "## Runtime companion" in lines:
        start = lines.index("## Runtime companion")
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
                   len(lines))
    else:
        start = end = lines.index("## Summary") if "## Summary" in lines else len(lines)
    lines[start:end] = section
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _fixable_files(files: Sequence[Path]) -> list[Path]:
    """The files with a finding that --fix --unsafe-fixes would try to fix."""
    from flake8_connclose.engine import check_source
    from flake8_connclose.rules import BY_CODE

    found = []
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8")
            findings = check_source(text)
        except (UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        if any(f.fixable or BY_CODE[f.code].applicability == "unsafe" for f in findings):
            found.append(path)
    return found


def _fix(cc: Sequence[str], corpus: Corpus, work: Path, runs: int, limit: float,
         results: dict[str, Timing]) -> list[Verdict]:
    """`connclose --fix --unsafe-fixes` on a fresh copy of the corpus, against
    libcst's own parse and code generation of the files it rewrites; then
    `--fix` against a check on the files that have nothing to fix."""
    base = Path(os.path.commonpath([str(r) for r in corpus.roots]))
    fixable = _fixable_files(corpus.files)
    copy = work / "fix-copy"
    roots = [str(copy / r.relative_to(base)) for r in corpus.roots]

    def fresh() -> None:
        _linked_tree(corpus.files, base, copy, copy=True)

    print(f"\nfixing ({len(fixable)} files have something to fix; a fresh copy of the "
          "corpus before each run):", flush=True)
    fix = measure("connclose --fix --unsafe-fixes", [*cc, "--fix", "--unsafe-fixes", *roots],
                  runs, setup=fresh, budget_s=120, limit=limit)
    results["fix"] = fix
    print(_fmt(fix), flush=True)
    rewritten = [p for p in corpus.files
                 if (copy / p.relative_to(base)).read_bytes() != p.read_bytes()]
    what = "it rewrote"
    if fix.timed_out:
        rewritten, what = fixable, "stopped; the files it would rewrite:"
    listing = work / "rewritten.txt"
    listing.write_text("".join(f"{p}\n" for p in rewritten), encoding="utf-8")
    print(f"  {what} {len(rewritten)} files ({_count_lines(rewritten):,} lines)")
    verdicts = []
    label = "connclose --fix / libcst round trip"
    if rewritten:
        cst = measure(f"libcst parse + codegen of those {len(rewritten)} files",
                      [sys.executable, "-c", LIBCST_ROUND_TRIP, str(listing)], runs)
        results["libcst"] = cst
        print(_fmt(cst), flush=True)
        verdicts.append(Verdict(label, fix.median / cst.median, BUDGETS["fix"],
                                f"{len(rewritten)} files rewritten" + (
                                    f"; {fix.note}: at least this" if fix.timed_out else "")))
    else:
        verdicts.append(Verdict(label, 0, 0, "nothing was rewritten", available=False))

    # The corpus less the files with something to fix: --fix must cost a check.
    chosen = set(fixable)
    clean = work / "fix-nothing"
    _linked_tree([p for p in corpus.files if p not in chosen], base, clean, copy=True)
    clean_roots = [str(clean / r.relative_to(base)) for r in corpus.roots
                   if (clean / r.relative_to(base)).exists()]
    again, check = measure_rounds([
        ("connclose --fix, nothing to fix", [*cc, "--fix", "--unsafe-fixes", *clean_roots]),
        ("connclose check of the same files", [*cc, *clean_roots])], runs)
    results["fix-nothing"], results["fix-check"] = again, check
    print(_fmt(again))
    print(_fmt(check), flush=True)
    verdicts.append(Verdict("connclose --fix (nothing to fix) / check",
                            paired_ratio(check, again), BUDGETS["fix_nothing"],
                            f"{len(corpus.files) - len(chosen)} files, none fixable; "
                            f"ratio of medians: {again.median / check.median:.3f}"))
    return verdicts


def _write_docs(date: str, machine: dict[str, str], versions: dict[str, str], corpus: Corpus,
                results: dict[str, Timing], verdicts: list[Verdict], summary: str,
                quick: bool, runs: int, flake8_runs: int, runtime: list[str]) -> None:
    cores = machine["cores"]
    bars = [("ruff check --select S113", results["ruff"].median, False),
            (f"connclose ({cores} cores)", results["ccN"].median, True),
            ("connclose --jobs 1", results["cc1"].median, True),
            ("flake8 -j 1", results["flake8"].median, False),
            ("flake8 -j 1 + plugin", results["plugin"].median, True)]
    title = f"Checking {len(corpus.files):,} files, {corpus.lines:,} lines of real code"
    caption = (f"median wall-clock time of {runs} runs on {machine['cpu']}, {cores} cores; "
               "lower is better")
    (ROOT / "docs" / "benchmark.svg").write_text(svg_chart(bars, title, caption),
                                                 encoding="utf-8")

    md = ["# Performance", "",
          "Generated by `tests/benchmarks/run.py`"
          f"{' --quick' if quick else ''} on {date}; do not edit by hand. "
          "Rerun it to refresh the numbers and the chart:", "", "```sh", COMMAND, "```", "",
          "![check times](benchmark.svg)", "",
          "## Machine", "",
          f"- CPU: {machine['cpu']}, {cores} cores; memory {machine['memory']}",
          f"- {machine['os']}, {machine['python']}",
          f"- {versions['connclose']}, {versions['flake8']}, {versions['ruff']}",
          f"- load average at the start: {machine['load']} (the machine is shared: the "
          "commands compared run in turning rounds, so that other work weighs on each alike)",
          "",
          "## Corpus", "",
          f"{len(corpus.files):,} files, {corpus.lines:,} lines: pinned releases, downloaded with "
          "`pip download --no-deps`, only their `.py` files.", "",
          "| package | kind | files | lines |", "| --- | --- | ---: | ---: |"]
    md += [f"| {p.project}=={p.version} | {p.kind} | {f:,} | {n:,} |"
           for p, f, n in corpus.per_package]
    md += ["", "## Times", "",
           f"Warm-up, then {runs} counted runs ({flake8_runs} of each flake8 command), the "
           "commands compared run in turns; wall clock in seconds. CPU time includes worker "
           "processes.", "",
           "| command | min | median | cpu (median) | runs |",
           "| --- | ---: | ---: | ---: | ---: |"]
    md += [f"| {t.name} | {t.min:.3f} | {t.median:.3f} | {t.cpu:.3f} | {len(t.walls)} |"
           for t in results.values()]
    md += ["", "## Budgets", "",
           "Ratios of medians; for two commands run in turns (flake8 with and without "
           "the plugin, `--fix` with nothing to fix and a check), the median of the "
           "run-by-run ratios.", "",
           "| ratio | value | budget | verdict | note |",
           "| --- | ---: | ---: | --- | --- |"]
    for v in verdicts:
        if not v.available:
            md.append(f"| {v.label} | n/a | | | {v.detail} |")
            continue
        value, budget = v.shown()
        sign = "<" if v.strict else "≤"
        md.append(f"| {v.label} | {value} | {sign} {budget} | "
                  f"{'ok' if v.ok else 'OVER'} | {v.detail} |")
    md += ["", *runtime, "## Summary", "", f"`{summary}`", ""]
    (ROOT / "docs" / "performance.md").write_text("\n".join(md), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
