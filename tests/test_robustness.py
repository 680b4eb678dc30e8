"""No crash, whatever the input: installed packages and generated programs."""

from __future__ import annotations

import ast
import shutil
import sysconfig
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flake8_connclose.cli import main
from flake8_connclose.engine import check_source, check_tree
from flake8_connclose.sources import Source
from flake8_connclose.fixes import apply_fixes

SITE = Path(sysconfig.get_paths()["purelib"])
# Every top-level package and module installed next to the project.
INSTALLED = sorted(
    p.name for p in SITE.iterdir()
    if (p.is_dir() and any(p.rglob("*.py"))) or p.suffix == ".py"
)


@pytest.mark.parametrize("package", INSTALLED)
def test_engine_survives_installed_package(package: str) -> None:
    """Analysis is forced (no pre-filter) on every file that parses."""
    entry = SITE / package
    files = [entry] if entry.is_file() else sorted(entry.rglob("*.py"))
    parsed = 0
    for path in files:
        source = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        check_tree(tree, Source(source).lines)
        parsed += 1
    print(f"{package}: {parsed} of {len(files)} files parsed and checked")
    assert parsed > 0


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_engine_survives_generated_programs(source: str) -> None:
    tree = ast.parse(source)
    check_tree(tree, Source(source).lines)


# Programs built from the shapes the engine reasons about, nested at random.
_EXPRESSIONS = st.sampled_from([
    "requests.Session()", "rq.get(u, stream=True)", "httpx.Client()", "s.get(u, stream=True)",
    "aiohttp.ClientSession()", "make()", "httpx.stream('GET', u)", "c.stream('GET', u)",
    "requests.Session().get(u)", "[requests.get(x) for x in u]", "s", "r.raw",
    "r.iter_content()", "closing(s)", "self.s", "lambda: s.close()",
])
_SIMPLE = st.one_of(
    _EXPRESSIONS.map(lambda e: f"s = {e}"),
    _EXPRESSIONS.map(lambda e: f"r = {e}"),
    _EXPRESSIONS.map(lambda e: f"self.s = {e}"),
    _EXPRESSIONS.map(lambda e: f"return {e}"),
    _EXPRESSIONS.map(lambda e: f"yield {e}"),
    _EXPRESSIONS.map(lambda e: e),
    st.sampled_from(["s.close()", "r.close()", "global s", "pass", "stack.enter_context(s)",
                     "import requests", "requests = None", "del s"]),
)
_BLOCKS = ["for u in us:", "while s:", "with {e} as s:", "async with {e} as s:", "try:",
           "def make():", "class C:", "if s:", "async def f(self):", "def g(self, s):"]


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


@st.composite
def _programs(draw: st.DrawFn, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 3 and draw(st.booleans()):
            header = draw(st.sampled_from(_BLOCKS)).format(e=draw(_EXPRESSIONS))
            body = draw(_programs(depth + 1))
            lines += [header, *_indent(body)]
            if header == "try:":
                lines += ["finally:", *_indent(draw(_programs(depth + 1)))]
        else:
            lines.append(draw(_SIMPLE))
    return lines


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(_programs())
def test_engine_survives_programs_of_its_own_vocabulary(lines: list[str]) -> None:
    source = "import requests, httpx, aiohttp\nimport requests as rq\n" + "\n".join(lines) + "\n"
    try:
        compile(source, "<generated>", "exec", ast.PyCF_ONLY_AST)
    except SyntaxError:
        return  # `return` at module level and the like: not a program
    for finding in check_source(source):
        assert 1 <= finding.line <= source.count("\n")


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(_programs())
def test_fixes_of_programs_of_its_own_vocabulary_compile_and_are_stable(lines: list[str]) -> None:
    source = "import requests, httpx, aiohttp\n\n\ndef main(us):\n" \
        + "\n".join(_indent(lines)) + "\n"
    try:
        compile(source, "<generated>", "exec")
    except SyntaxError:
        return
    result = apply_fixes(source, check_source(source), unsafe=True)
    compile(result.source, "<fixed>", "exec")
    again = apply_fixes(result.source, check_source(result.source), unsafe=True)
    assert again.source == result.source


TESTS = Path(__file__).parent


def test_fix_run_over_installed_packages_and_the_corpora(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`connclose --fix --unsafe-fixes` over a copy of every installed package and
    of our fixture and real-world files: no internal error, what compiled still
    compiles, a second run changes nothing, files without findings keep their bytes."""
    copies = {SITE: tmp_path / "site", TESTS / "fixtures": tmp_path / "fixtures",
              TESTS / "realworld": tmp_path / "realworld"}
    for source, target in copies.items():
        for path in source.rglob("*.py"):
            copy = target / path.relative_to(source)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
    files = sorted(tmp_path.rglob("*.py"))
    before = {path: path.read_bytes() for path in files}
    clean = {path for path in files if not _has_findings(before[path])}
    monkeypatch.chdir(tmp_path)

    assert main(["--isolated", "--exclude", ".git", "--fix", "--unsafe-fixes", "."]) != 2
    fixed = capsys.readouterr().out.splitlines()[-1]
    after = {path: path.read_bytes() for path in files}
    assert main(["--isolated", "--exclude", ".git", "--fix", "--unsafe-fixes", "."]) != 2
    capsys.readouterr()

    assert all(path.read_bytes() == after[path] for path in files)
    assert all(after[path] == before[path] for path in clean)
    changed = [path for path in files if after[path] != before[path]]
    for path in changed:
        compile(after[path], str(path), "exec")
    print(f"{len(files)} files, {len(changed)} rewritten: {fixed}")
    assert changed, "the corpora hold fixable findings: something must have been fixed"


def _has_findings(data: bytes) -> bool:
    try:
        return bool(check_source(data.decode("utf-8")))
    except (UnicodeDecodeError, SyntaxError, ValueError):
        return False
