"""The check passes over top-level statements that spell nothing tracked
(``flake8_connclose.relevance``); its findings must be a full analysis's."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from flake8_connclose.analysis import Analysis, analyse
from flake8_connclose.engine import check_analysis, check_source, may_have_findings
from flake8_connclose.findings import Finding
from flake8_connclose.fixes.plans import plan_for
from flake8_connclose.libraries import registry_for
from flake8_connclose.planning.common import NotFixable
from flake8_connclose.settings import DEFAULT
from flake8_connclose.sources import Source

TESTS = Path(__file__).parent
# Every module the suite holds that the check reads: rule fixtures, the
# labelled real-world windows, the differential test's saved programs.
MODULES = sorted(
    path for pattern in ("fixtures/*.py", "realworld/*.py", "differential/regressions/*.py")
    for path in TESTS.glob(pattern))


def _findings(text: str, skim: bool) -> list[tuple[str, int, int, str, bool, str]]:
    """Each finding, with its planner's verdict: the reason a check that
    passed over statements gives for no fix must be a full analysis's too."""
    lines = Source(text).lines
    analysis = analyse(ast.parse(text), registry_for(DEFAULT), lines if skim else None)
    return [(f.code, f.line, f.col, f.text, f.fixable, _verdict(f, analysis, text))
            for f in check_analysis(analysis, lines)]


def _verdict(finding: Finding, analysis: Analysis, text: str) -> str:
    plan = plan_for(finding, analysis, text, unsafe=True)
    return plan.reason if isinstance(plan, NotFixable) else type(plan).__name__


def _passed_over(text: str) -> list[str]:
    """The first lines of the top-level statements the check passes over."""
    text = textwrap.dedent(text)
    analysis = analyse(ast.parse(text), registry_for(DEFAULT), Source(text).lines)
    return sorted(ast.unparse(stmt).splitlines()[0] for stmt in analysis.resolver.passed_over)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_passing_over_changes_no_finding(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _findings(text, skim=True) == _findings(text, skim=False)


def test_the_suite_has_modules_with_statements_passed_over() -> None:
    """The comparison above means something only where statements are skipped."""
    skipping = [p for p in MODULES if may_have_findings(p.read_text(encoding="utf-8"))
                and _passed_over(p.read_text(encoding="utf-8"))]
    assert len(skipping) > len(MODULES) // 3


def test_what_spells_nothing_tracked_is_passed_over() -> None:
    """Imports included: the module's scope has bound them already. A name in
    a string or a comment counts (the text is searched, not the tree)."""
    assert _passed_over('''
        import logging
        import requests
        from urllib.parse import urljoin

        log = logging.getLogger()
        BASE = "https://example.org/requests"

        def join(path):
            return urljoin(BASE, path)

        def fetch(path):
            return requests.get(join(path)).text

        def quiet():
            log.info("done")  # no requests here
    ''') == ["from urllib.parse import urljoin", "import logging", "log = logging.getLogger()"]


def test_names_bound_from_tracked_ones_are_followed() -> None:
    """An alias, a session and a factory built on them make what spells them
    relevant, statement by statement; a class built on them, the classes
    that inherit from it (they share its `self`), not code that merely names
    it: an instance holds no session the engine tracks."""
    module = '''
        import requests as rq

        http = rq
        def make():
            return http.Session()
        class Client:
            def __init__(self):
                self.session = make()
            def close(self):
                self.session.close()
        class Retrying(Client):
            def get(self, u):
                r = self.session.get(u, stream=True)
                return r.status_code
        def use():
            return Client()
        class Unrelated:
            kind = Client
        def other():
            return 1
    '''
    assert _passed_over(module) == ["class Unrelated:", "def other():", "def use():"]
    # The subclass's stream is found through the session its base keeps.
    assert [(f.code, f.line) for f in check_source(textwrap.dedent(module))] == [("CCL002", 14)]


def test_a_base_class_of_a_relevant_class_is_relevant() -> None:
    """Its `close()` may close what the subclass created."""
    assert _passed_over('''
        import requests

        class Base:
            def close(self):
                self.session.close()
        class Client(Base):
            def __init__(self):
                self.session = requests.Session()
        class Unrelated:
            pass
    ''') == ["class Unrelated:"]


def test_a_module_is_relevant_only_on_the_way_to_a_tracked_name() -> None:
    """`urllib` leads to `urllib.request`, not to `urllib.parse`; `requests`
    to `requests.get`, not to `requests.exceptions`; a module that is the
    value (`rq = requests`) counts, a name that is bound (`client = ...`)
    does not read the import."""
    assert _passed_over('''
        import urllib
        import requests
        from aiohttp import client

        def parse(u):
            return urllib.parse.urlsplit(u)
        def errors():
            return requests.exceptions.HTTPError
        def opens(u):
            return urllib.request.urlopen(u)
        def shadows(app):
            client = app.client
            return client.get("/")
        def hands_over():
            return requests
    ''') == ["def errors():", "def parse(u):", "def shadows(app):"]


def test_globals_and_star_imports_are_followed() -> None:
    assert _passed_over('''
        from requests import *

        def start():
            global SESSION
            SESSION = Session()
        def use(u):
            return SESSION.get(u, stream=True)
        def nothing():
            return 2
    ''') == ["def nothing():"]


def test_a_fix_analyses_every_statement() -> None:
    text = "import requests\n\ndef f():\n    return 1\n"
    assert not analyse(ast.parse(text), registry_for(DEFAULT)).resolver.passed_over
    assert _passed_over(text) == ["def f():"]


def test_methods_that_spell_nothing_tracked_are_passed_over() -> None:
    """Only in a class that keeps no session on `self` and shares no
    methods with another class of the module."""
    assert _passed_over('''
        import requests

        class Fetcher:
            def fetch(self, u):
                return requests.get(u).text
            def parse(self, text):
                return text.split()
        class Owner:
            def __init__(self):
                self.session = requests.Session()
            def split(self, text):
                return text.split()
    ''') == ["def parse(self, text):"]


def test_a_method_that_only_calls_a_factory_method_is_a_factory_too() -> None:
    """`_make` spells nothing tracked, but returns what `_build` makes: the
    class keeps a session on `self.s`, so no method is passed over."""
    text = textwrap.dedent('''
        import requests

        class Client:
            def _build(self):
                return requests.Session()
            def _make(self):
                return self._build()
            def __init__(self):
                self.s = self._make()
            def fetch(self, u):
                return self.s.get(u).text
    ''')
    assert [f[0] for f in _findings(text, skim=True)] == ["CCL006"]
    assert _findings(text, skim=True) == _findings(text, skim=False)
    assert _passed_over(text) == []
