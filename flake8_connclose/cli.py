"""`connclose`: the standalone checker, for CI and pre-commit without flake8.

Exit status: 0 nothing to report; 1 something reported, including a file that
could not be read (E902) or parsed (E999), as ruff does, and with --fix or
--diff a file that was (or would be) changed; 2 a usage or configuration
mistake, or an internal error (the message names the file).

The work is split so that the dear part runs only where it must: every file
is read and decoded here, the text pre-filter drops those that cannot have a
finding, and only the rest are parsed, in worker processes when there are
enough of them to pay for starting the workers. Fixing runs in the workers
too; only writing the fixed files back happens here.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence, TextIO

from flake8_connclose import __version__, config, report, sources
from flake8_connclose.checking import Job, Outcome, run_job
from flake8_connclose.engine import Configuration, may_have_findings
from flake8_connclose.report import Diagnostic
from flake8_connclose.rules import BY_CODE
from flake8_connclose.selection import Selection
from flake8_connclose.settings import Settings

# What flake8 and ruff users expect never to be checked when a directory is walked.
DEFAULT_EXCLUDE = (
    ".bzr", ".direnv", ".eggs", ".git", ".hg", ".mypy_cache", ".nox", ".pytest_cache",
    ".ruff_cache", ".svn", ".tox", ".venv", "CVS", "__pycache__", "__pypackages__",
    "_build", "build", "dist", "node_modules", "site-packages", "venv", "*.egg",
)
PYTHON_SUFFIXES = (".py", ".pyi")
# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 50
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class Plan:
    """The command line and the configuration file, merged."""

    selection: Selection
    settings: Settings
    exclude: tuple[str, ...]
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]
    disable_noqa: bool
    stdin_filename: str | None
    fix: bool = False  # --fix or --diff: fix in the workers
    unsafe: bool = False

    def excluded(self, path: str) -> bool:
        return config.matches(path, self.exclude)

    def excluded_explicitly(self, path: str) -> bool:
        """A path named on the command line (as pre-commit names every file) is
        skipped when a walk would have skipped it: when it, or one of its
        directories below the working directory, matches an exclude pattern."""
        if self.excluded(path):
            return True
        try:
            relative = os.path.relpath(os.path.abspath(path))
        except ValueError:  # another drive, on Windows
            return False
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            return False
        parent = os.path.dirname(relative)
        while parent:
            if self.excluded(parent):
                return True
            parent = os.path.dirname(parent)
        return False

    def job(self, path: str, real_path: str, text: str, data: bytes) -> Job:
        dropped = config.ignored_in(real_path, self.per_file_ignores)
        configuration = Configuration(self.selection.without(dropped), self.settings,
                                      noqa=not self.disable_noqa)
        return Job(path, text, configuration, data if self.fix else None, self.unsafe)


@dataclass(frozen=True)
class Change:
    """A file the fixes rewrote: where it is, its text before and after, and
    its findings before (to report if the new text cannot be written)."""

    path: str  # as given ("-" for stdin)
    shown: str
    old_text: str
    new_text: str
    new_data: bytes
    unwritten: list[Diagnostic]


@dataclass
class Results:
    """Everything a run found, fixed and changed, for the report."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    fixed: list[Diagnostic] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    stdin: bytes | None = None  # standard input as read, to echo back with --fix


def main(argv: list[str] | None = None) -> int:
    """Run `connclose` with ``argv`` (default: ``sys.argv[1:]``); the exit status."""
    try:
        return _main(argv)
    except SystemExit as stop:  # argparse: --help and --version (0), usage errors (2)
        if stop.code is None:
            return EXIT_CLEAN
        return stop.code if isinstance(stop.code, int) else EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `connclose | head`: the reader left. Point stdout at /dev/null so the
        # interpreter's final flush does not fail again (Python's documented recipe).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS
    except Exception as error:  # a bug outside any one file's check
        import traceback  # only for this: start-up counts on a pre-commit run

        frames = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        return _fail(f"internal error: {type(error).__name__}: {error}\n{frames}"
                     "Please report this.")


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.explain is not None:
        return _explain(args.explain)
    try:
        plan = _plan(args, _config(args))
    except config.ConfigError as error:
        return _fail(str(error))
    paths = args.paths or ["."]
    results = _check(paths, plan, args.jobs)
    if args.diff:
        _show_diffs(results, args)
    elif args.fix:
        _write_fixes(results, args, stdin="-" in paths)
    else:
        _emit(results.diagnostics, args, sys.stdout)
    for message in results.internal_errors:
        _fail(message)
    if results.internal_errors:
        return EXIT_ERROR
    # Only --fix and --diff change anything; --diff reports nothing but errors.
    reported = [d for d in results.diagnostics if not args.diff or d.code in report.FILE_ERRORS]
    dirty = results.changes or reported
    return EXIT_FINDINGS if dirty and not args.exit_zero else EXIT_CLEAN


def _fail(message: str) -> int:
    print(f"connclose: error: {message}", file=sys.stderr)
    return EXIT_ERROR


# -- the command line ---------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="connclose",
        description="Find HTTP connections that are never closed or never reused "
                    "(requests, httpx, aiohttp).",
        epilog="Exit status: 0 nothing to report, 1 findings (or files that could "
               "not be read or parsed), 2 usage, configuration or internal error.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or directories to check (default: .); - reads stdin")
    _selection_options(parser)
    _file_options(parser)
    _output_options(parser)
    _fix_options(parser)
    parser.add_argument("--jobs", "-j", type=_positive, default=os.cpu_count() or 1,
                        metavar="N", help="worker processes (default: all cores)")
    parser.add_argument("--explain", metavar="CODE",
                        help="print a rule's documentation and exit")
    parser.add_argument("--version", action="version", version=f"connclose {__version__}")
    return parser


def _selection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("rule selection")
    group.add_argument("--select", type=_codes, metavar="CODES",
                       help="comma-separated codes or prefixes to report (default: CCL; "
                            "opt-in rules such as CCL901 must be named at least as CCL9)")
    group.add_argument("--extend-select", type=_codes, action="extend", default=[],
                       metavar="CODES", help="codes to report in addition to --select")
    group.add_argument("--ignore", type=_codes, metavar="CODES",
                       help="codes or prefixes not to report")
    group.add_argument("--disable-noqa", action="store_true",
                       help="report findings even on lines marked # noqa")


def _file_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("files and configuration")
    group.add_argument("--exclude", type=_patterns, metavar="PATTERNS",
                       help="comma-separated glob patterns to skip, replacing the defaults "
                            "(.git, .venv, venv, __pycache__, build, dist, node_modules "
                            "and other tools' directories)")
    group.add_argument("--extend-exclude", type=_patterns, action="extend", default=[],
                       metavar="PATTERNS", help="patterns to skip in addition to --exclude")
    group.add_argument("--stdin-filename", metavar="PATH",
                       help="the name of the file read from stdin, for messages, "
                            "excludes and per-file-ignores")
    sources_of_config = group.add_mutually_exclusive_group()
    sources_of_config.add_argument("--config", metavar="PATH",
                                   help="read [tool.connclose] from this TOML file")
    sources_of_config.add_argument("--isolated", action="store_true",
                                   help="ignore every configuration file")


def _output_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("output")
    group.add_argument("--output-format", choices=report.FORMATS, default="text",
                       help="how to print findings (default: text)")
    group.add_argument("--show-source", action="store_true",
                       help="text format: show the offending line under each finding")
    group.add_argument("--statistics", action="store_true",
                       help="count the findings per code (on stderr for json/sarif/github)")
    group.add_argument("--quiet", "-q", action="store_true",
                       help="text format: print findings only, no summary line")
    group.add_argument("--exit-zero", action="store_true",
                       help="exit 0 even when something is reported")


def _fix_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fixes")
    group.add_argument("--fix", action="store_true",
                       help="rewrite the files to fix what can be fixed safely; with -, "
                            "print the fixed source (findings go to stderr)")
    group.add_argument("--diff", action="store_true",
                       help="print the fixes as a unified diff and write nothing")
    group.add_argument("--unsafe-fixes", action="store_true",
                       help="with --fix or --diff, also apply the unsafe fixes "
                            "(CCL003, CCL004: a shared session keeps cookies across calls)")


def _codes(value: str) -> list[str]:
    try:
        return list(config.codes(_split(value)))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _patterns(value: str) -> list[str]:
    return _split(value)


def _split(value: str) -> list[str]:
    """flake8's comma-separated lists: commas or whitespace, empties dropped."""
    return [item for item in value.replace(",", " ").split() if item]


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return int(value)


def _explain(code: str) -> int:
    rule = BY_CODE.get(code.upper())
    if rule is None:
        return _fail(f"unknown code {code!r}; the codes are {', '.join(BY_CODE)}")
    sys.stdout.write(rule.docs_markdown())
    return EXIT_CLEAN


# -- configuration ------------------------------------------------------------

def _config(args: argparse.Namespace) -> config.Config:
    if args.isolated:
        return config.Config()
    if args.config is not None:
        return config.load(Path(args.config))
    found = config.find(_config_start(args))
    return config.load(found) if found is not None else config.Config()


def _config_start(args: argparse.Namespace) -> Path:
    """Where to look up from: the first path, as ruff does."""
    first = (args.paths or ["."])[0]
    if first == "-":
        first = args.stdin_filename or "."
    path = Path(first)
    return path if path.is_dir() else path.parent


def _plan(args: argparse.Namespace, conf: config.Config) -> Plan:
    """Command-line values replace the file's; the extend- lists add to both."""
    return Plan(
        selection=conf.selection(args.select, args.ignore, args.extend_select),
        settings=conf.settings,
        exclude=_excludes(args, conf),
        per_file_ignores=conf.rooted_per_file_ignores,
        disable_noqa=args.disable_noqa,
        stdin_filename=args.stdin_filename,
        fix=args.fix or args.diff,
        unsafe=args.unsafe_fixes,
    )


def _excludes(args: argparse.Namespace, conf: config.Config) -> tuple[str, ...]:
    """Patterns from the command line are relative to the working directory,
    those from the file to the file's directory."""
    cwd = Path.cwd()
    if args.exclude is not None:
        base = [config.rooted(p, cwd) for p in args.exclude]
    elif conf.exclude is not None:
        base = [config.rooted(p, conf.root) for p in conf.exclude]
    else:
        base = list(DEFAULT_EXCLUDE)
    return (*base, *(config.rooted(p, conf.root) for p in conf.extend_exclude),
            *(config.rooted(p, cwd) for p in args.extend_exclude))


# -- files --------------------------------------------------------------------

def _discover(paths: Sequence[str], plan: Plan, errors: list[Diagnostic]) -> Iterator[str]:
    """Each file to check once, in a stable order; directories are walked
    (not into symlinked ones, so a loop cannot trap the walk), files named on
    the command line are checked whatever their suffix."""
    seen: set[str] = set()
    for arg in paths:
        for path in _expand(arg, plan, errors):
            key = path if path == "-" else os.path.abspath(path)
            if key not in seen:
                seen.add(key)
                yield path


def _expand(arg: str, plan: Plan, errors: list[Diagnostic]) -> Iterator[str]:
    if arg == "-":
        if plan.stdin_filename is None or not plan.excluded_explicitly(plan.stdin_filename):
            yield arg
        return
    if plan.excluded_explicitly(arg):
        return
    if not os.path.isdir(arg):
        yield arg
        return

    def unlistable(error: OSError) -> None:
        errors.append(_file_error(error.filename or arg, _os_reason(error), "E902"))

    for root, dirs, files in os.walk(arg, onerror=unlistable):
        dirs[:] = sorted(d for d in dirs if not plan.excluded(os.path.join(root, d)))
        for name in sorted(files):
            path = os.path.join(root, name)
            if name.endswith(PYTHON_SUFFIXES) and not plan.excluded(path):
                yield path


def _display(path: str, plan: Plan) -> str:
    if path == "-":
        return plan.stdin_filename or "-"
    return path[2:] if path.startswith("./") and len(path) > 2 else path


def _os_reason(error: OSError) -> str:
    return f"{type(error).__name__}: {error.strerror or error}"


def _file_error(path: str, reason: str, code: str, line: int = 1, column: int = 1) -> Diagnostic:
    shown = path[2:] if path.startswith("./") else path
    return Diagnostic.file_error(shown, code, reason, line, column)


def _load(path: str, plan: Plan, results: Results) -> Job | None:
    """The file as a job to run, or None when there is nothing to run: it
    could not be read or decoded (reported), or the pre-filter shows it
    cannot have a finding."""
    shown = _display(path, plan)
    try:
        data = sys.stdin.buffer.read() if path == "-" else sources.read(path)
        if path == "-":
            results.stdin = data
        text = sources.decode(data)
    except sources.SourceError as error:
        results.diagnostics.append(Diagnostic.file_error(shown, error.code, error.reason,
                                                         error.line, error.column))
        return None
    if not may_have_findings(text, plan.settings):
        return None
    real = (plan.stdin_filename or "-") if path == "-" else path
    return plan.job(shown, real, text, data)


# -- checking -----------------------------------------------------------------

def _check(paths: Sequence[str], plan: Plan, workers: int) -> Results:
    results = Results()
    jobs: list[Job] = []
    given: list[str] = []  # each job's path as given
    for path in _discover(paths, plan, results.diagnostics):
        job = _load(path, plan, results)
        if job is not None:
            jobs.append(job)
            given.append(path)
    for job, path, outcome in zip(jobs, given, _run(jobs, workers)):
        results.diagnostics.extend(outcome.diagnostics)
        results.fixed.extend(outcome.fixed)
        if outcome.internal_error:
            results.internal_errors.append(outcome.internal_error)
        if outcome.new_text is not None and outcome.new_data is not None:
            results.changes.append(Change(path, job.path, job.text, outcome.new_text,
                                          outcome.new_data, outcome.unwritten))
    results.diagnostics.sort()
    results.fixed.sort()
    return results


def _run(jobs: list[Job], workers: int) -> list[Outcome]:
    if workers < 2 or len(jobs) <= PARALLEL_MIN_FILES:
        old = gc.get_threshold()
        _collect_seldom()
        try:
            return [run_job(job) for job in jobs]
        finally:
            gc.set_threshold(*old)
    # Imported here: a run on a few files (pre-commit's) never pays for them.
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    workers = min(workers, len(jobs))
    # Chunks take every n-th file by size, not n neighbours: the costly files
    # of a package (its big test modules, say) sit side by side and would
    # otherwise all land on one worker; and the largest go first, so that
    # none of them starts last.
    chunks = workers * 4
    by_size = sorted(range(len(jobs)), key=lambda i: -len(jobs[i].text))
    dealt = [by_size[k] for first in range(chunks) for k in range(first, len(jobs), chunks)]
    chunksize = -(-len(jobs) // chunks)
    if any(job.original is not None for job in jobs):
        # A fix costs a few checks or none, whatever the file's size: one file
        # at a time, so that no worker is left waiting on another's queue.
        dealt, chunksize = by_size, 1
    try:
        with ProcessPoolExecutor(workers, initializer=_collect_seldom) as pool:
            done = pool.map(run_job, [jobs[i] for i in dealt], chunksize=chunksize)
            outcomes: dict[int, Outcome] = dict(zip(dealt, done))
        return [outcomes[i] for i in range(len(jobs))]
    except BrokenProcessPool:
        # A worker died (killed, out of memory): the files are still worth checking.
        return [run_job(job) for job in jobs]


def _collect_seldom() -> None:
    """A check makes and drops syntax trees by the million, freed by
    reference counting: the cycle collector's frequent passes over them find
    next to nothing and cost a tenth of the run (mypy makes the same trade)."""
    gc.set_threshold(100_000, 50, 100)


# -- fixes --------------------------------------------------------------------

def _write_fixes(results: Results, args: argparse.Namespace, stdin: bool) -> None:
    """Write each changed file atomically; with stdin, print its source, fixed
    or not, and report on stderr so the code on stdout stays clean."""
    for change in list(results.changes):
        if change.path == "-":
            continue
        try:
            sources.write_atomic(change.path, change.new_data)
        except OSError as error:
            results.changes.remove(change)
            _unfix(results, change, f"not written: {_os_reason(error)}")
    if stdin:
        echo = next((c.new_data for c in results.changes if c.path == "-"), results.stdin)
        sys.stdout.buffer.write(echo or b"")
        sys.stdout.flush()
    _emit(results.diagnostics, args, sys.stderr if stdin else sys.stdout, results.fixed)


def _unfix(results: Results, change: Change, reason: str) -> None:
    """A rewrite that could not be written: its fixes did not happen, and the
    file's findings are those of its old text."""
    results.fixed = [d for d in results.fixed if d.path != change.shown]
    results.diagnostics = sorted(
        [d for d in results.diagnostics if d.path != change.shown] + change.unwritten
        + [Diagnostic.file_error(change.shown, "E902", reason)])


def _show_diffs(results: Results, args: argparse.Namespace) -> None:
    """The rewrites as unified diffs on stdout; the count on stderr, as ruff does."""
    for change in results.changes:
        sys.stdout.writelines(_diff(change))
    errors = [d for d in results.diagnostics if d.code in report.FILE_ERRORS]
    sys.stderr.write(report.text(errors))
    fixes = len(results.fixed)
    if not args.quiet and (fixes or not errors):
        noun = "finding" if fixes == 1 else "findings"
        sys.stderr.write(f"Would fix {fixes} {noun}.\n" if fixes else "No fixes to apply.\n")


def _diff(change: Change) -> Iterator[str]:
    old = _diff_lines(change.old_text)
    new = _diff_lines(change.new_text)
    return difflib.unified_diff(old, new, change.shown, change.shown)


def _diff_lines(text: str) -> list[str]:
    # Split where Python and `patch` do: a form feed or U+2028 is no line break.
    lines = list(sources.Source(text).lines)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


# -- output -------------------------------------------------------------------

def _emit(diagnostics: list[Diagnostic], args: argparse.Namespace, out: TextIO,
          fixed: list[Diagnostic] | None = None) -> None:
    """The report; ``fixed`` is given after --fix (the json format lists those
    findings too, the others count them)."""
    if args.output_format != "text":
        listed = sorted(diagnostics + fixed) if fixed and args.output_format == "json" \
            else diagnostics
        out.write(report.RENDERERS[args.output_format](listed))
        if args.statistics:
            sys.stderr.write(report.statistics(diagnostics))
        return
    out.write(report.text(diagnostics, report.Style(_color(out), args.show_source)))
    if args.statistics:
        out.write(report.statistics(diagnostics))
    if not args.quiet:
        out.write(report.summary(diagnostics, None if fixed is None else len(fixed)))


def _color(stream: TextIO) -> bool:
    """Colour on a terminal only; NO_COLOR (no-color.org) and FORCE_COLOR win."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()
