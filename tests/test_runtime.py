"""`pytest --connclose`, run on generated test modules against a 127.0.0.1
server: which tests fail, and the creation lines their failures name.

Every module here marks each line that creates a leak with ``# leak: CODE``;
the tests compare what the plugin reports with those marks.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import aiohttp  # noqa: F401
import httpx  # noqa: F401
import pytest
import requests  # noqa: F401

# Imported here, before any inner run: pytester takes out of sys.modules what
# an in-process run imported, and a second import of requests would mix its
# classes with the first one's.
from test_fix_traffic import server, server_url  # noqa: F401 (fixtures: the loopback server)

pytest_plugins = ["pytester"]

LEAKY = '''
import asyncio

import aiohttp
import httpx
import pytest
import requests

URL = {url!r}


def test_session():
    session = requests.Session()  # leak: CCL001
    session.get(URL)


def test_stream():
    response = requests.get(URL, stream=True)  # leak: CCL002
    next(response.iter_content(1024))


def test_httpx_client():
    client = httpx.Client()  # leak: CCL001
    client.get(URL)


def test_aiohttp_session():
    async def fetch():
        session = aiohttp.ClientSession()  # leak: CCL001
        async with session.get(URL) as response:
            await response.read()

    asyncio.run(fetch())


def test_with_blocks():
    with requests.Session() as session, session.get(URL, stream=True) as response:
        next(response.iter_content(1024))
    with httpx.Client() as client, client.stream("GET", URL) as streamed:
        next(streamed.iter_bytes(1024))


def test_closed_in_finally():
    session = requests.Session()
    try:
        session.get(URL)
    finally:
        session.close()


def test_stream_read_to_the_end():
    # Its connection went back to the pool: nothing is held.
    assert len(requests.get(URL, stream=True).content) > 0


def test_functional_api():
    assert requests.get(URL).ok and httpx.get(URL).is_success


class TestInAClass:
    @pytest.mark.parametrize("n", [1, 2])
    def test_param(self, n):
        clients = [httpx.Client() for _ in range(n)]  # leak: CCL001
        clients[0].get(URL)
'''


def _marks(source: str) -> dict[int, str]:
    """Line -> code of every `# leak: CODE` mark."""
    return {number: match.group(1) for number, line in enumerate(source.splitlines(), 1)
            if (match := re.search(r"# leak: (CCL\d{3})", line))}


def _module(pytester: pytest.Pytester, template: str, url: str, name: str) -> str:
    source = textwrap.dedent(template).lstrip("\n").format(url=url)
    pytester.makepyfile(**{name: source})
    return source


def _failure_lines(output: str, path: str) -> list[str]:
    """The leak lines of a run's failures and summary, each once."""
    return sorted(set(re.findall(rf"^({re.escape(path)}:\d+: .*?\(CCL\d{{3}}\))", output, re.M)))


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # hypothesis's plugin imports hypothesis at the end of each in-process
    # run (seconds, once pytester has dropped it from sys.modules); unused here.
    return pytester.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest", *args)


def test_leaky_tests_fail_and_name_their_creation_lines(pytester: pytest.Pytester,
                                                        server_url: str) -> None:  # noqa: F811
    source = _module(pytester, LEAKY, server_url, "test_leaky")
    result = _run(pytester, "--connclose")
    outcomes = result.parseoutcomes()
    assert (outcomes.get("failed"), outcomes.get("passed"), outcomes.get("error")) == (6, 4, None)
    failed = {line.split()[1] for line in result.outlines if line.startswith("FAILED ")}
    assert failed == {f"test_leaky.py::{name}" for name in (
        "test_session", "test_stream", "test_httpx_client", "test_aiohttp_session",
        "TestInAClass::test_param[1]", "TestInAClass::test_param[2]")}
    marks = _marks(source)
    reported = _failure_lines(result.stdout.str(), "test_leaky.py")
    assert {(int(line.split(":")[1]), line[-7:-1]) for line in reported} == set(marks.items())
    line = min(marks)
    assert f"test_leaky.py:{line}: requests.Session() created in test_session was " \
           "garbage-collected without being closed (CCL001)" in reported
    assert any("created in TestInAClass::test_param[2]" in line for line in reported)
    # Two clients leak in test_param[2], one line each: the summary lists all seven.
    # Only the section itself: how much of each failure pytest's short test
    # summary after it shows depends on the terminal's width.
    section = result.stdout.str().split("connclose: 7 leaks", 1)[1].splitlines()[1:]
    summary = list(itertools.takewhile(lambda line: not line.startswith("="), section))
    assert len(summary) == 7 and all(line.count("(CCL00") == 1 for line in summary)


def _outcome_lines(result: pytest.RunResult) -> list[str]:
    """The run's output less what changes from run to run (times, the list
    of plugins pytest prints in its header, addresses)."""
    lines = [line for line in result.outlines if not line.startswith(("plugins:", "rootdir:"))]
    text = re.sub(r"\d+\.\d+", "N", "\n".join(lines))  # times, aiohttp's timestamps
    return re.sub(r"0x[0-9a-f]+", "0x?", text).splitlines()


def test_without_the_flag_the_run_is_as_without_the_plugin(pytester: pytest.Pytester,
                                                           server_url: str) -> None:  # noqa: F811
    _module(pytester, LEAKY, server_url, "test_leaky")
    plain = _run(pytester, "-rA")
    absent = _run(pytester, "-rA", "-p", "no:connclose")
    assert plain.ret == absent.ret == 0
    assert plain.parseoutcomes() == absent.parseoutcomes() == {"passed": 10}
    assert _outcome_lines(plain) == _outcome_lines(absent)


def test_off_means_nothing_is_patched(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_inert='''
        import sys

        import requests

        def test_nothing_patched():
            assert not hasattr(requests.Session.__init__, "__wrapped__")
            assert not hasattr(requests.Session.send, "__wrapped__")
            assert not [f for f in sys.meta_path if type(f).__name__ == "_ImportWatch"]
    ''')
    for flags in ([], ["--connclose=off"]):
        _run(pytester, *flags).assert_outcomes(passed=1)


def test_the_plugin_imports_nothing_of_its_own() -> None:
    code = ("import sys, flake8_connclose.pytest_plugin\n"
            "mods = ('requests', 'httpx', 'aiohttp', 'libcst', 'flake8_connclose.runtime')\n"
            "print([m for m in mods if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


FIXTURES = '''
import pytest
import requests

URL = {url!r}


@pytest.fixture(scope="module")
def shared():
    return requests.Session()  # leak: CCL001


@pytest.fixture(scope="module")
def shared_and_closed():
    with requests.Session() as session:
        yield session


@pytest.fixture
def per_test():
    session = requests.Session()  # leak: CCL001
    yield session


@pytest.fixture
def per_test_closed():
    session = requests.Session()
    yield session
    session.close()


def test_first(shared, shared_and_closed):
    shared.get(URL)


def test_second(shared, shared_and_closed, per_test_closed):
    per_test_closed.get(URL)


def test_own_fixture(per_test):
    per_test.get(URL)
'''


def test_fixture_objects_are_judged_at_the_fixture_teardown(pytester: pytest.Pytester,
                                                            server_url: str) -> None:  # noqa: F811
    source = _module(pytester, FIXTURES, server_url, "test_fixtures")
    result = _run(pytester, "--connclose", "-v")
    shared, per_test = sorted(_marks(source))
    # The module fixture is torn down after the last test of the module: an
    # error at that teardown, named after the fixture; the function-scoped
    # fixture's session is the test's own failure.
    result.assert_outcomes(passed=2, failed=1, errors=1)
    result.stdout.re_match_lines([
        r".*ERROR at teardown of test_own_fixture.*",
        rf"test_fixtures.py:{shared}: requests.Session\(\) created in fixture shared was "
        r"never closed \(CCL001\)",
    ], consecutive=True)
    result.stdout.fnmatch_lines([
        "*_ test_own_fixture _*",
        f"test_fixtures.py:{per_test}: requests.Session() created in test_own_fixture *(CCL001)",
    ], consecutive=True)


def test_warn_mode_reports_without_failing(pytester: pytest.Pytester,
                                           server_url: str) -> None:  # noqa: F811
    source = _module(pytester, LEAKY, server_url, "test_leaky")
    result = _run(pytester, "--connclose=warn")
    result.assert_outcomes(passed=10, warnings=7)
    assert "ConnCloseWarning" in result.stdout.str()
    lines = _failure_lines(result.stdout.str(), "test_leaky.py")
    assert {int(line.split(":")[1]) for line in lines} == set(_marks(source))
    # A warnings filter that makes them errors makes them failures again.
    strict = _run(pytester, "--connclose=warn",
                  "-W", "error::flake8_connclose.pytest_plugin.ConnCloseWarning")
    strict.assert_outcomes(passed=4, failed=6)


def test_ini_option_turns_it_on(pytester: pytest.Pytester, server_url: str) -> None:  # noqa: F811
    _module(pytester, LEAKY, server_url, "test_leaky")
    pytester.makeini("[pytest]\nconnclose = warn\n")
    _run(pytester).assert_outcomes(passed=10, warnings=7)
    # The command line wins over the ini file.
    _run(pytester, "--connclose=off").assert_outcomes(passed=10)


def test_json_report(pytester: pytest.Pytester, server_url: str) -> None:  # noqa: F811
    source = _module(pytester, LEAKY, server_url, "test_leaky")
    report = pytester.path / "leaks.json"
    _run(pytester, "--connclose", f"--connclose-report={report}")
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["mode"] == "fail" and len(data["leaks"]) == 7
    first = data["leaks"][0]
    assert first == {
        "code": "CCL001", "path": "test_leaky.py", "line": min(_marks(source)),
        "function": "test_session", "api": "requests.Session()",
        "type": "requests.sessions.Session", "owner": "test_session", "owner_kind": "test",
        "nodeid": "test_leaky.py::test_session", "collected": True,
        "message": first["message"],
    }
    assert {leak["code"] for leak in data["leaks"]} == {"CCL001", "CCL002"}


def test_a_mode_must_be_named(pytester: pytest.Pytester) -> None:
    # `--connclose tests/` must not take the path for a mode.
    result = _run(pytester, "--connclose", "tests/")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*'tests/' is not one of fail, warn, off*"])


ASYNC_PLUGINS = '''
import aiohttp
import httpx
import pytest

URL = {url!r}


@pytest.mark.anyio
async def test_anyio_leak():
    client = httpx.AsyncClient()  # leak: CCL001
    await client.get(URL)


@pytest.mark.anyio
async def test_anyio_closed():
    async with httpx.AsyncClient() as client:
        await client.get(URL)


@pytest.fixture
def anyio_backend():
    return "asyncio"
'''


def test_async_tests_under_anyio(pytester: pytest.Pytester, server_url: str) -> None:  # noqa: F811
    pytest.importorskip("anyio")
    source = _module(pytester, ASYNC_PLUGINS, server_url, "test_async")
    result = _run(pytester, "--connclose")
    result.assert_outcomes(passed=1, failed=1)
    lines = _failure_lines(result.stdout.str(), "test_async.py")
    assert [int(line.split(":")[1]) for line in lines] == list(_marks(source))


def test_async_tests_under_pytest_asyncio(pytester: pytest.Pytester,
                                          server_url: str) -> None:  # noqa: F811
    pytest.importorskip("pytest_asyncio")
    pytester.makepyfile(test_aio=f'''
        import aiohttp
        import pytest

        @pytest.mark.asyncio
        async def test_leak():
            session = aiohttp.ClientSession()  # line 6
            async with session.get({server_url!r}) as response:
                await response.read()

        @pytest.mark.asyncio
        async def test_closed():
            async with aiohttp.ClientSession() as session:
                async with session.get({server_url!r}) as response:
                    await response.read()
    ''')
    result = _run(pytester, "--connclose")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["test_aio.py:6: aiohttp.ClientSession() created in test_leak *"])


def test_under_xdist(pytester: pytest.Pytester, server_url: str) -> None:  # noqa: F811
    pytest.importorskip("xdist")
    _module(pytester, LEAKY, server_url, "test_leaky")
    report = pytester.path / "leaks.json"
    result = pytester.runpytest_subprocess("--connclose", "-n", "2", "-p", "no:hypothesispytest",
                                           f"--connclose-report={report}")
    result.assert_outcomes(passed=4, failed=6)
    # The controller learns of its workers' leaks: the summary and the report.
    assert "connclose: 7 leaks" in result.stdout.str()
    assert len(json.loads(Path(report).read_text(encoding="utf-8"))["leaks"]) == 7
