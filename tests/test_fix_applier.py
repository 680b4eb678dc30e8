"""The applier: near misses that stay byte for byte, and the guarantees of
every fix (re-check, compile, idempotence, bytes kept, one round trip)."""

from __future__ import annotations

import ast
import re
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fixing import d, fix

from flake8_connclose.engine import check_source
from flake8_connclose.fixes import apply_fixes
from flake8_connclose.rules import RULES, Rule


# One near miss per "not fixable" reason: reported, not fixable, untouched.
NOOPS = {
    "rebound": ("""
        import requests

        def f(u):
            s = requests.Session()
            s.get(u)
            s = requests.Session()
            s.get(u)
        """, "is rebound"),
    "parameter_rebound": ("""
        import requests

        def f(u, s=None):
            s = requests.Session()
            s.get(u)
        """, "is rebound"),
    "conditional_creation": ("""
        import requests

        def f(u, fast):
            if fast:
                s = requests.Session()
                s.get(u)
            print(s.get(u))
        """, "created conditionally"),
    "created_in_loop_used_after": ("""
        import requests

        def f(urls):
            for u in urls:
                s = requests.Session()
                s.get(u)
            return s.get(urls[0])
        """, "created in a loop"),
    "used_after_the_block": ("""
        import requests

        def f(u, lock):
            with lock:
                s = requests.Session()
                s.get(u)
            return s.get(u).text
        """, "used after the block"),
    "del": ("""
        import requests

        def f(u):
            s = requests.Session()
            s.get(u)
            del s
        """, "deleted with `del`"),
    "entered_by_hand": ("""
        import httpx

        def f(u):
            r = httpx.stream("GET", u)
            return r.__enter__().read()
        """, "entered or exited by hand"),
    "shares_a_line": ("""
        import requests

        def f(u):
            s = requests.Session(); s.get(u)
        """, "shares a line"),
    "annotated": ("""
        import requests

        def f(u):
            s: requests.Session = requests.Session()
            s.get(u)
        """, "annotated or awaited"),
    "async_session_in_sync_def": ("""
        import httpx

        def f(u):
            c = httpx.AsyncClient()
            c.get(u)
        """, "async session outside `async def`"),
    "inline_stream_after_other_code": ("""
        import requests

        def f(u, out):
            out.write(requests.get(u, stream=True).raw.read())
        """, "runs before the request"),
    "module_scope_stream": ("""
        import requests

        r = requests.get("http://x", stream=True)
        print(r.raw)
        """, "not inside a function"),
    "ccl005_arguments": ("""
        import requests

        def f(u):
            return requests.Session(timeout=3).get(u)
        """, "takes arguments"),
    "ccl005_imported_by_name": ("""
        from requests import Session

        def f(u):
            return Session().get(u)
        """, "itself is not imported"),
    "ccl005_no_functional_call": ("""
        import requests

        def f(u):
            return requests.Session().mount(u, None)
        """, "has no functional"),
    "ccl005_async": ("""
        import httpx

        async def f(u):
            return await httpx.AsyncClient().get(u)
        """, "no functional equivalent"),
    "ccl005_in_loop": ("""
        import requests

        def f(urls):
            for u in urls:
                print(requests.Session().get(u))
        """, "in a loop"),
    "no_fix_for_rule": ("""
        import requests

        class A:
            def __init__(self):
                self.s = requests.Session()
        """, "has no automatic fix"),
}


@pytest.mark.parametrize("source, reason", NOOPS.values(), ids=list(NOOPS))
def test_noop(source: str, reason: str) -> None:
    source = d(source)
    findings = check_source(source)
    assert findings, "the near miss must still be reported"
    result = apply_fixes(source, findings)
    assert result.source == source
    assert not result.fixed
    assert any(reason in n.reason for n in result.not_fixed), result.not_fixed
    assert not any(f.fixable for f in findings)


UNREPORTED = {
    "global": """
        import requests

        def f(u):
            global s
            s = requests.Session()
            s.get(u)
        """,
    "nested_function": """
        import requests

        def f(u):
            s = requests.Session()
            s.get(u)
            return lambda: s.get(u)
        """,
}


@pytest.mark.parametrize("source", UNREPORTED.values(), ids=list(UNREPORTED))
def test_noop_unreported(source: str) -> None:
    """The engine already treats these as owned elsewhere: nothing to fix."""
    source = d(source)
    assert apply_fixes(source, check_source(source)).source == source


def test_nested_function_planner_refuses() -> None:
    """Not reported today (a closure shares ownership), but should the engine
    ever report it, the planner must not wrap: the closure may outlive `with`."""
    import ast

    from flake8_connclose.analysis import analyse
    from flake8_connclose.planning.common import NotFixable
    from flake8_connclose.planning.wrap import plan_wrap
    from flake8_connclose.libraries import registry_for
    from flake8_connclose.settings import DEFAULT

    source = d(UNREPORTED["nested_function"])
    analysis = analyse(ast.parse(source), registry_for(DEFAULT))
    site = next(site for site in analysis.calls if site.session)
    plan = plan_wrap(analysis, site)
    assert isinstance(plan, NotFixable) and "nested function" in plan.reason


# The guarantees.

LEAKY = d("""
    # -*- coding: utf-8 -*-
    import requests


    def fetch(url):  # fetch one
        s = requests.Session()   # odd spacing kept

        # a blank line above and this comment survive
        text = s.get(url).text
        s.close()
        return text
    """)


def test_fixed_code_rechecks_clean_and_compiles() -> None:
    result = fix(LEAKY)
    assert [f.code for f in result.fixed] == ["CCL001"]
    assert not check_source(result.source)
    compile(result.source, "<fixed>", "exec")


def test_second_application_changes_nothing() -> None:
    once = fix(LEAKY).source
    again = fix(once)
    assert again.source == once and not again.fixed


def test_cookie_comments_and_blank_lines_preserved() -> None:
    fixed = fix(LEAKY).source
    assert fixed.startswith("# -*- coding: utf-8 -*-\n")
    for kept in ["# fetch one", "# odd spacing kept", "\n        # a blank line above"]:
        assert kept in fixed
    # A new block never starts with a blank line (the comment below it stays).
    assert "as s:   # odd spacing kept\n        # a blank line above" in fixed


def test_crlf_preserved() -> None:
    crlf = LEAKY.replace("\n", "\r\n")
    fixed = fix(crlf).source
    assert fixed == fix(LEAKY).source.replace("\n", "\r\n")


def test_bom_preserved() -> None:
    # The engine parses text without the BOM; the applier keeps it.
    fixed = apply_fixes("\ufeff" + LEAKY, check_source(LEAKY)).source
    assert fixed == "\ufeff" + fix(LEAKY).source


def test_non_ascii_columns() -> None:
    source = 'import requests\n\ndef f():\n    x = "é"; return requests.Session().get(x)\n'
    result = fix(source)
    assert result.source == 'import requests\n\ndef f():\n    x = "é"; return requests.get(x)\n'


def test_several_fixes_in_one_block() -> None:
    source = d("""
        import requests

        def f(u):
            a = requests.Session()
            b = requests.Session()
            return a.get(u).text + b.get(u).text
        """)
    result = fix(source)
    assert len(result.fixed) == 2 and not check_source(result.source)
    assert "        with requests.Session() as b:\n" in result.source


def test_failed_guarantee_leaves_source_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_connclose.fixes import apply as applier

    monkeypatch.setattr(applier, "_rewrite_all", lambda source, tree, plans: source + "(\n")
    result = fix(LEAKY)
    assert result.source == LEAKY
    assert "would not compile" in result.not_fixed[0].reason


def test_a_rewrite_that_drops_a_comment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_connclose.fixes import apply as applier

    rewrite = applier._rewrite_unit
    monkeypatch.setattr(applier, "_rewrite_unit", lambda source, plans: rewrite(
        source, plans).replace("# odd spacing kept", ""))
    result = fix(LEAKY)
    assert result.source == LEAKY
    assert "lose a comment" in result.not_fixed[0].reason


@pytest.mark.parametrize("old, new, lost", [
    ("x = 1  # c\n", "if 1:\n    x = 1  # c\n", False),  # moved into a block
    ("x = 1  # c\n", "x = 1\n", True),
    ("# c\nx = 1\n", "x = 1\n# c\n", False),  # moved below
    ('x = "#"  # c\n', 'x = "#"\n', True),  # a `#` in a string before it
    ('x = f("#", a)  # c\n', 'x = g("#", a)  # c\n', False),  # the tokenizer decides
    ('x = "#"\n', 'x = 1\n', False),  # no comment at all
    ("# c\n# c\n", "# c\n", True),  # counted, not a set
])
def test_lost_comments_are_found(old: str, new: str, lost: bool) -> None:
    from flake8_connclose.fixes.apply import _loses_a_comment

    assert _loses_a_comment(old, new) is lost


def test_checker_does_not_import_libcst() -> None:
    import subprocess
    import sys

    code = ("import sys; from flake8_connclose.engine import check_source; "
            "check_source(open('tests/fixtures/ccl001.py').read()); "
            "print('libcst' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_codemod_command() -> None:
    from libcst.codemod import CodemodContext, TransformSkip, TransformSuccess, transform_module

    from flake8_connclose.codemod import CloseConnections

    result = transform_module(CloseConnections(CodemodContext()), LEAKY)
    assert isinstance(result, TransformSuccess)
    assert result.code == fix(LEAKY).source
    skipped = transform_module(CloseConnections(CodemodContext()), "import requests\n")
    assert isinstance(skipped, TransformSkip)


def _codemod(source: str, filename: str | None = None, **options: Any) -> str | None:
    """What LibCST's runner would write: the new code, or None when it skipped."""
    from libcst.codemod import CodemodContext, TransformSuccess, transform_module

    from flake8_connclose.codemod import CloseConnections

    command = CloseConnections(CodemodContext(filename=filename), **options)
    result = transform_module(command, source)
    return result.code if isinstance(result, TransformSuccess) else None


def test_codemod_honours_noqa() -> None:
    """`connclose --fix` leaves a line marked `# noqa: CCL001` alone: so does the codemod."""
    marked = LEAKY.replace("requests.Session()   # odd spacing kept",
                           "requests.Session()  # noqa: CCL001")
    assert marked != LEAKY
    assert _codemod(marked) is None
    exempt = "# flake8: noqa\n" + LEAKY
    assert _codemod(exempt) is None


def test_codemod_reads_the_nearest_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.connclose]\nignore = ["CCL001"]\n')
    package = tmp_path / "pkg"
    package.mkdir()
    module = package / "mod.py"
    module.write_text(LEAKY)
    assert _codemod(LEAKY, str(module)) is None
    elsewhere = tmp_path.parent / f"{tmp_path.name}-other" / "mod.py"
    assert _codemod(LEAKY, str(elsewhere)) == fix(LEAKY).source


def test_codemod_takes_config_and_unsafe_fixes(tmp_path: Path) -> None:
    config = tmp_path / "custom.toml"
    config.write_text('[tool.connclose]\nper-file-ignores = {"*.py" = ["CCL001"]}\n')
    assert _codemod(LEAKY, str(tmp_path / "mod.py"), config=str(config)) is None
    loop = d("""
        import requests

        def f(urls):
            for u in urls:
                requests.get(u)
        """)
    assert _codemod(loop) is None
    fixed = _codemod(loop, unsafe_fixes=True)
    assert fixed is not None and "with requests.Session() as session:" in fixed


FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.py"))


REALWORLD = sorted((Path(__file__).parent / "realworld").glob("*.py"))


@pytest.mark.parametrize("path", FIXTURES + REALWORLD, ids=lambda p: p.name)
def test_fixable_means_fixed(path: Path) -> None:
    """A finding called fixable is fixed by --fix; one whose reason says
    --unsafe-fixes is fixed by --unsafe-fixes."""
    from flake8_connclose.fixes import why_not_fixable

    source = path.read_text(encoding="utf-8")
    findings = check_source(source)
    safe = apply_fixes(source, findings)
    assert {f for f in findings if f.fixable} <= set(safe.fixed)
    promised = Counter(n.finding.code for n in why_not_fixable(source, findings)
                       if "--unsafe-fixes" in n.reason)
    left = Counter(f.code for f in check_source(apply_fixes(source, findings, True).source))
    # Positions move as fixes are made: count what is left of each code.
    assert all(left[code] <= sum(f.code == code for f in findings) - count
               for code, count in promised.items())


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fixtures_fix_cleanly(path: Path, unsafe: bool) -> None:
    """Every fixture: each finding marked fixable is fixed, the result compiles,
    a second run changes nothing, and no comment is lost."""
    source = path.read_text(encoding="utf-8")
    findings = check_source(source)
    result = apply_fixes(source, findings, unsafe=unsafe)
    assert {f for f in findings if f.fixable} <= set(result.fixed)
    compile(result.source, str(path), "exec")
    again = apply_fixes(result.source, check_source(result.source), unsafe=unsafe)
    assert again.source == result.source and not again.fixed
    assert _comment_count(result.source) >= _comment_count(source)


@pytest.mark.parametrize("path", FIXTURES + REALWORLD, ids=lambda p: p.name)
def test_rewriting_touched_statements_equals_rewriting_the_module(
    path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """libcst parses only the top-level statements a fix touches, with blank
    lines in place of the code above: the result is the whole module's."""
    from flake8_connclose.fixes import apply

    source = path.read_text(encoding="utf-8")
    findings = check_source(source)
    parts = apply_fixes(source, findings, unsafe=True)
    monkeypatch.setattr(apply, "_units", lambda tree, plans, located: None)
    whole = apply_fixes(source, findings, unsafe=True)
    assert parts.source == whole.source
    assert parts.fixed == whole.fixed


def test_libcst_parses_only_the_member_a_fix_rewrites(monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_connclose.fixes import apply

    source = textwrap.dedent("""\
        import requests


        class Client:
            def other(self):
                return "untouched"  # a comment

            def fetch(self, url):
                r = requests.get(url, stream=True)
                return r.status_code
        """)
    parsed: list[str] = []
    real = apply._rewrite_unit

    def spy(text: str, plans: list[apply.Plan]) -> str:
        parsed.append(text)
        return real(text, plans)

    monkeypatch.setattr(apply, "_rewrite_unit", spy)
    result = apply_fixes(source, check_source(source))
    assert "with requests.get(url, stream=True) as r:" in result.source
    assert parsed and all("untouched" not in text and "class Client" not in text
                          for text in parsed)
    assert all(text.count("\n") == source.count("\n") for text in parsed)


def test_units_count_lines_as_python_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """A form feed or U+2028 is no line break to Python: the unit a fix
    rewrites is cut from the lines Python numbers."""
    from flake8_connclose.fixes import apply

    source = ("import requests\n\x0c\n\n"
              "def other():\n    return 'a\u2028b'  # \x0c kept\n\n\n"
              "def fetch(url):\n    r = requests.get(url, stream=True)\n"
              "    return r.status_code\n")
    parsed: list[str] = []
    real = apply._rewrite_unit
    monkeypatch.setattr(apply, "_rewrite_unit",
                        lambda text, plans: parsed.append(text) or real(text, plans))
    parts = apply_fixes(source, check_source(source))
    assert parsed and not any("def other" in text for text in parsed)
    monkeypatch.setattr(apply, "_units", lambda tree, plans, located: None)
    whole = apply_fixes(source, check_source(source))
    assert parts.source == whole.source
    assert parts.source.endswith("    with requests.get(url, stream=True) as r:\n"
                                 "        return r.status_code\n")
    assert parts.source.startswith(source[:source.index("def fetch")])


# A finding in each kind of block, with what lies around it: comments and
# blank lines before the next header, tabs, blocks on their header's line.
NESTED = {
    "if_else": """
        import requests

        def f(u, c):
            x = 1
            if c:
                y = 2
                r = requests.get(u, stream=True)
                print(r.status_code)
                # before the else

            else:
                print("no")
            return x
        """,
    "elif_and_else": """
        import requests

        def f(u, c):
            if c == 1:
                pass
            elif c == 2:
                r = requests.get(u, stream=True)
                print(r.status_code)
              # a comment less indented
            else:
                q = requests.get(u, stream=True)
                print(q.headers)
        """,
    "try_handlers_finally": """
        import requests

        def f(u):
            try:
                pass
            except ValueError:
                r = requests.get(u, stream=True)
                print(r.status_code)
            except (KeyError,
                    TypeError):
                pass
            else:
                s = requests.Session()
                s.get(u)
            finally:
                t = requests.Session()
                t.get(u)
                # the end of the finally
        """,
    "loop_else_and_with": """
        import requests

        def f(urls, lock):
            for u in urls:
                with lock:
                    r = requests.get(u, stream=True)
                    print(r.status_code)
            else:
                s = requests.Session()
                s.get("x")
        """,
    "nested_function_and_class": """
        import requests

        class C:
            def outer(self, u):
                def inner():
                    class D:
                        def m(self):
                            r = requests.get(u, stream=True)
                            return r.status_code
                    return D
                return inner
        """,
    "async": """
        import httpx

        async def f(u, c):
            if c:
                client = httpx.AsyncClient()
                await client.get(u)
        """,
    "tabs": "import requests\n\ndef f(u, c):\n\tif c:\n\t\tr = requests.get(u, stream=True)\n"
            "\t\tprint(r.status_code)\n\treturn c\n",
    "one_line_blocks": """
        import requests

        def f(u, c):
            if c: print(c)
            else: print(u)
            while c: c -= 1
            r = requests.get(u, stream=True)
            print(r.status_code)
        """,
}


@pytest.mark.parametrize("name", NESTED)
def test_a_unit_is_the_innermost_run_of_statements_and_rewrites_as_the_module_does(
    name: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flake8_connclose.fixes import apply

    source = textwrap.dedent(NESTED[name]).lstrip("\n")
    findings = check_source(source)
    assert any(f.fixable for f in findings)
    parsed: list[str] = []
    real = apply._rewrite_unit
    monkeypatch.setattr(apply, "_rewrite_unit",
                        lambda text, plans: parsed.append(text) or real(text, plans))
    parts = apply_fixes(source, findings, unsafe=True)
    assert parts.fixed and parsed
    # Each unit holds only the lines of the statements it rewrites, where they were.
    assert not any(re.search(r"^\s*(async )?def f\(", text, re.M) for text in parsed)
    assert all(text.count("\n") <= source.count("\n") for text in parsed)
    monkeypatch.setattr(apply, "_units", lambda tree, plans, located: None)
    whole = apply_fixes(source, findings, unsafe=True)
    assert parts.source == whole.source
    assert parts.fixed == whole.fixed


def test_units_one_inside_another_are_rewritten_together(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """A plan whose lines are a whole `if` (its condition holds the call) and
    one inside that `if`'s block: the outer statement is the one unit."""
    from flake8_connclose.fixes import apply

    source = textwrap.dedent("""\
        import requests


        def f(u):
            x = 0
            if requests.Session().get(u).ok:
                s = requests.Session()
                s.get(u)
            return x
        """)
    findings = check_source(source)
    parsed: list[str] = []
    real = apply._rewrite_unit
    monkeypatch.setattr(apply, "_rewrite_unit",
                        lambda text, plans: parsed.append(text) or real(text, plans))
    parts = apply_fixes(source, findings, unsafe=True)
    assert {f.code for f in parts.fixed} == {"CCL001", "CCL005"}
    assert "requests.get(u).ok" in parts.source and "with requests.Session() as s:" in parts.source
    assert any("if requests" in text and "s.get(u)" in text for text in parsed)
    monkeypatch.setattr(apply, "_units", lambda tree, plans, located: None)
    assert apply_fixes(source, findings, unsafe=True).source == parts.source


def test_plans_in_one_statement_share_its_visit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two fixes inside one statement: one unit, one visit for both, which
    enters what either plan names."""
    from flake8_connclose.fixes import apply

    source = textwrap.dedent("""\
        import requests


        def f(u):
            x = 1
            return (requests.Session().get(u),
                    requests.Session().post(u), x)
        """)
    shared: list[int] = []
    real = apply._Together.__init__

    def spy(self: apply._Together, transformers: list[Any]) -> None:
        shared.append(len(transformers))
        real(self, transformers)

    monkeypatch.setattr(apply._Together, "__init__", spy)
    result = apply_fixes(source, check_source(source))
    assert shared == [2]
    assert [f.code for f in result.fixed] == ["CCL005", "CCL005"]
    assert "return (requests.get(u),\n            requests.post(u), x)" in result.source


def test_positions_are_libcsts_own() -> None:
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from flake8_connclose.fixes.apply import positions

    module = cst.parse_module(Path(__file__).read_text(encoding="utf-8"))
    ours = positions(module)
    theirs = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert len(ours) == len(theirs) > 1000
    assert all(ours[node] == where for node, where in theirs.items())


def test_a_rewrite_rebuilds_only_the_nodes_on_the_way_to_its_targets() -> None:
    """libcst rebuilds every node a transformer visits; ours visit only what
    holds a node of the plan, and leave the rest as parsed."""
    import libcst as cst

    from flake8_connclose.engine import analysed
    from flake8_connclose.fixes.apply import positions
    from flake8_connclose.fixes.plans import plan_for
    from flake8_connclose.fixes.rewriters import rewriter_for
    from flake8_connclose.sources import Source

    source = textwrap.dedent("""\
        import requests

        def other():
            return [i * 2 for i in range(3)]

        def f(u):
            print("before", [u, u])
            s = requests.Session()
            s.get(u)
        """)
    (finding,) = check_source(source)
    plan = plan_for(finding, analysed(source)[1], source, False)
    module = cst.parse_module(source)
    rewriter = rewriter_for(plan, Source(source))  # type: ignore[arg-type]
    rewriter.metadata = {cst.metadata.PositionProvider: positions(module)}
    new = module.visit(rewriter)
    assert rewriter.complete and "with requests.Session() as s:" in new.code
    other, f = module.body[1], module.body[2]
    assert new.body[1] is other  # not on the way: kept as parsed
    assert isinstance(f, cst.FunctionDef) and isinstance(new.body[2], cst.FunctionDef)
    assert new.body[2].body.body[0] is f.body.body[0]  # the print before, too


def _comment_count(source: str) -> int:
    import io
    import tokenize

    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return sum(token.type == tokenize.COMMENT for token in tokens)


@pytest.mark.parametrize("rule", [r for r in RULES if r.fix != "none"], ids=lambda r: r.code)
def test_rule_example_fixes_to_its_use_instead(rule: Rule) -> None:
    """The docs' Example, fixed, is the docs' Use instead (Fixit's contract)."""
    example = d(rule.example)
    result = apply_fixes(example, check_source(example), unsafe=True)
    fixed = result.source
    if rule.code == "CCL001":
        # The example's close carries a comment, which the fix never drops.
        fixed = "".join(line for line in fixed.splitlines(True)
                        if "session.close()  # skipped" not in line)
    assert fixed.strip() == d(rule.use_instead).strip()


# -- several fixes in one round trip -----------------------------------------------

MANY = """\
import requests


def one(url):
    s = requests.Session()  # first
    return s.get(url).text


def two(url):
    r = requests.get(url, stream=True)
    return r.headers


def three(url):
    return requests.Session().get(url).status_code


def four(urls):
    for url in urls:
        requests.get(url)


def five(url):
    s = requests.Session()
    for chunk in s.get(url, stream=True).iter_content(64):
        print(chunk)
"""


def test_non_overlapping_fixes_share_one_libcst_round_trip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flake8_connclose.fixes import apply

    visits: list[int] = []
    real = apply._rewrite_all

    def counted(source: str, tree: ast.Module, plans: list[tuple[apply.Plan, apply.Region]]
                ) -> str:
        visits.append(len(plans))
        return real(source, tree, plans)

    monkeypatch.setattr(apply, "_rewrite_all", counted)
    findings = check_source(MANY)
    batched = apply_fixes(MANY, findings, unsafe=True)
    assert visits[0] >= 4  # one visit carried most of the fixes
    del visits[:]
    monkeypatch.setattr(apply, "_batch_pass", lambda *args: None)
    reference = apply_fixes(MANY, findings, unsafe=True)
    assert set(visits) == {1} and len(visits) >= 5  # the reference went fix by fix
    assert batched.source == reference.source != MANY
    assert [f.code for f in batched.fixed] == [f.code for f in reference.fixed]
    assert check_source(batched.source) == []
