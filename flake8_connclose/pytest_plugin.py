"""`pytest --connclose`: fail each test that leaves an HTTP session, client or
stream open, naming the line that created it and the static rule's code.

pytest loads this module through the ``pytest11`` entry point in every run, so
it is inert unless turned on: at import it needs only pytest and the standard
library, and without ``--connclose`` (or the ``connclose`` ini option) it adds
two options and nothing else: no patching, no other hooks, no imports.
"""

from __future__ import annotations

import argparse
import json
import warnings
from typing import TYPE_CHECKING, Any, Generator, Sequence

import pytest
from _pytest._code.code import TerminalRepr  # loaded by pytest already

if TYPE_CHECKING:
    from flake8_connclose.runtime import Leak, Owner

MODES = ("fail", "warn", "off")
_SECTION = "connclose: leaked sessions and streams"


class ConnCloseWarning(UserWarning):
    """A leak reported by ``--connclose=warn``."""


def _mode(value: str) -> str:
    if value not in MODES:
        # `--connclose tests/` would otherwise take the path for a mode.
        raise argparse.ArgumentTypeError(
            f"{value!r} is not one of {', '.join(MODES)}; write --connclose=fail "
            "to give a mode in front of test paths")
    return value


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("connclose", "leaked HTTP sessions and streams (flake8-connclose)")
    group.addoption("--connclose", nargs="?", const="fail", default=None, type=_mode,
                    metavar="MODE", help="fail (the default) or warn on each test that "
                    "leaves an HTTP session, client or stream open; off to disable")
    group.addoption("--connclose-report", default=None, metavar="PATH",
                    help="with --connclose: write the leaks found to PATH as JSON")
    parser.addini("connclose", "fail|warn|off: as --connclose=MODE", default="off")


def pytest_configure(config: pytest.Config) -> None:
    mode = config.getoption("connclose") or str(config.getini("connclose")).strip() or "off"
    if mode not in MODES:
        raise pytest.UsageError(f"connclose = {mode!r} in the ini file: use fail, warn or off")
    if mode != "off":
        config.pluginmanager.register(_Companion(config, mode), "connclose-runtime")


class _Companion:
    """The hooks that work, registered only when the plugin is turned on."""

    def __init__(self, config: pytest.Config, mode: str) -> None:
        from flake8_connclose.runtime import Tracker

        self.config = config
        self.mode = mode
        self.tracker = Tracker()
        self.tracker.install()
        self.fixtures: dict[object, Owner] = {}  # a wider fixture's FixtureDef: its owner
        self.charged: list[Leak] = []  # fixtures' leaks judged during the current test
        self.test: Owner | None = None  # the test running
        self.leaks: list[dict[str, Any]] = []  # every leak reported, for the summary
        self.late = False  # leaks of fixtures torn down after the last test

    def pytest_unconfigure(self) -> None:
        self.tracker.uninstall()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> bool:
        # pytest's own protocol, but the reports are logged only after the
        # teardown: a leak is known only once the function-scoped fixtures are
        # gone, and then it must still fail the test's own report.
        from _pytest.runner import runtestprotocol

        from flake8_connclose.runtime import Owner

        item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
        # "TestClass::test_x[param]": the node id less the file.
        owner = Owner(item.nodeid.partition("::")[2] or item.name, "test", item.nodeid)
        self.tracker.patch_imported()
        self.tracker.owner = self.test = owner
        try:
            reports = runtestprotocol(item, log=False, nextitem=nextitem)
        finally:
            self.tracker.owner = self.test = None
        self._charge(_test_report(reports), self.tracker.take(owner))
        self._charge(reports[-1], self.charged)
        self.charged = []
        for report in reports:
            item.ihook.pytest_runtest_logreport(report=report)
        item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
        return True

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef: pytest.FixtureDef[Any],
                             request: pytest.FixtureRequest) -> Generator[None, None, None]:
        if fixturedef.scope == "function":  # its objects are the test's
            yield
            return
        from flake8_connclose.runtime import Owner

        owner = Owner(f"fixture {fixturedef.argname}", "fixture", request.node.nodeid)
        self.fixtures[fixturedef] = owner
        previous, self.tracker.owner = self.tracker.owner, owner
        yield
        self.tracker.owner = previous
        # Finalizers run last added first: this one, before the fixture's own
        # teardown, so that what the teardown makes is the fixture's too.
        fixturedef.addfinalizer(lambda: setattr(self.tracker, "owner", owner))

    def pytest_fixture_post_finalizer(self, fixturedef: pytest.FixtureDef[Any]) -> None:
        owner = self.fixtures.pop(fixturedef, None)
        if owner is None:
            return
        self.tracker.owner = self.test
        leaks = self.tracker.take(owner)
        if self.test is not None:
            self.charged += leaks
        elif leaks:  # torn down after the last test, at the end of the session
            self.leaks += [leak.as_dict() for leak in leaks]
            self.late = True

    def _charge(self, report: pytest.TestReport, leaks: Sequence[Leak]) -> None:
        if not leaks:
            return
        found = [leak.as_dict() for leak in leaks]
        report.connclose = [*getattr(report, "connclose", []), *found]  # type: ignore[attr-defined]
        if self.mode == "warn" and self._warned(leaks):
            return
        text = "\n".join(leak.message() for leak in leaks)
        if report.outcome == "passed" and not hasattr(report, "wasxfail"):
            report.outcome = "failed"
            report.longrepr = _LeakRepr(text)
        else:  # a failure of its own comes first
            report.sections.append((_SECTION, text))

    def _warned(self, leaks: Sequence[Leak]) -> bool:
        """Warn of each leak at its creation line; False when the warnings
        filter turned a warning into an error (`-W error`): then fail."""
        try:
            for leak in leaks:
                warnings.warn_explicit(leak.message(), ConnCloseWarning,
                                       leak.site.path, leak.site.line)
        except Warning:
            return False
        return True

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # Also where an xdist controller learns of its workers' leaks.
        self.leaks += getattr(report, "connclose", [])

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.late and self.mode == "fail" and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        path = self.config.getoption("connclose_report")
        if path and not hasattr(self.config, "workerinput"):  # not an xdist worker
            with open(path, "w", encoding="utf-8") as out:
                json.dump({"mode": self.mode, "leaks": self.leaks}, out, indent=2)
                out.write("\n")

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.leaks:
            return
        count = len(self.leaks)
        terminalreporter.write_sep("=", f"connclose: {count} leak{'s' if count > 1 else ''}",
                                   red=self.mode == "fail", yellow=self.mode == "warn")
        for leak in self.leaks:
            terminalreporter.write_line(f"{leak['message']}  [{leak['nodeid']}]")


def _test_report(reports: Sequence[pytest.TestReport]) -> pytest.TestReport:
    """The report a test's own leaks go on: its call's, else its setup's."""
    for report in reports:
        if report.when == "call":
            return report
    return reports[0]


class _LeakRepr(TerminalRepr):
    """A failure's text, with the first leak as the one-line reason that
    `-ra` and JUnit XML show."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.reprcrash = _Crash(text.splitlines()[0])

    def toterminal(self, tw: Any) -> None:
        for line in self.text.splitlines():
            tw.line(line, red=True)


class _Crash:
    def __init__(self, message: str) -> None:
        self.message = message
