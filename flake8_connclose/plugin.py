"""The flake8 face: flake8's tree in, flake8's tuples out."""

from __future__ import annotations

import argparse
import ast
from typing import Any, Iterator, Sequence

from flake8_connclose import __version__
from flake8_connclose.engine import Configuration, check_tree, configured, may_have_findings
from flake8_connclose.selection import OPT_IN, Selection, selected_opt_in
from flake8_connclose.settings import DEFAULT, Settings
from flake8_connclose.sources import Source


class Plugin:
    name = "flake8-connclose"
    version = __version__

    settings: Settings = DEFAULT
    # flake8 applies its own selection and `# noqa`; ours only keeps the
    # opt-in codes out unless the user selected them by name (or by a prefix
    # at least as specific as `CCL9`), as flake8-bugbear does for its B9xx band.
    configuration = Configuration(noqa=False)

    def __init__(self, tree: ast.AST, lines: Sequence[str]) -> None:
        self.tree = tree
        self.lines = lines

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option(
            "--connclose-session-factories", default="", parse_from_config=True,
            comma_separated_list=True,
            help="Dotted names of callables that return a session "
                 "(e.g. myapp.http.make_session). (Default: none)",
        )
        manager.add_option(
            "--connclose-functional-modules", default="", parse_from_config=True,
            comma_separated_list=True,
            help="Dotted names of modules whose get/post/... act like requests.get. "
                 "(Default: none)",
        )
        manager.extend_default_ignore(sorted(OPT_IN))

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        cls.settings = Settings.from_lists(
            options.connclose_session_factories, options.connclose_functional_modules
        )
        chosen = list(options.select or []) + list(getattr(options, "extend_select", None) or [])
        selection = Selection(select=("CCL", *sorted(selected_opt_in(chosen))))
        cls.configuration = Configuration(selection, cls.settings, noqa=False)

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        if not isinstance(self.tree, ast.Module):
            return
        if not may_have_findings("".join(self.lines), self.settings):
            return
        findings = check_tree(self.tree, self.lines, self.settings)
        for finding in configured(findings, Source.of_lines(self.lines), self.configuration):
            yield finding.line, finding.col, finding.text, type(self)
