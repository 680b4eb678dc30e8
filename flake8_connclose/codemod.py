"""The LibCST face of the fixes, for LibCST's own runner:

    python -m libcst.tool codemod -x flake8_connclose.codemod.CloseConnections src/

It checks each file as `connclose` would (``engine.check``: the nearest
`[tool.connclose]`, or ``--config PATH``; selection, per-file ignores and
`# noqa`) and runs the same guarded applier as `connclose --fix`, so the two
can never rewrite differently. ``--unsafe-fixes`` applies the unsafe fixes too.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand

from flake8_connclose import config, engine
from flake8_connclose.fixes import apply_fixes
from flake8_connclose.rules import BY_CODE


class CloseConnections(VisitorBasedCodemodCommand):
    DESCRIPTION = "Wrap leaking HTTP sessions and streams in `with` (flake8-connclose fixes)."

    def __init__(self, context: CodemodContext, config: str | None = None,
                 unsafe_fixes: bool = False) -> None:
        super().__init__(context)
        self.config_path = config
        self.unsafe = unsafe_fixes

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument("--config", metavar="PATH", default=None,
                                help="a pyproject.toml with [tool.connclose] "
                                     "(default: the nearest one above each file)")
        arg_parser.add_argument("--unsafe-fixes", action="store_true",
                                help="also apply the unsafe fixes (CCL003, CCL004)")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        source = tree.code
        configuration = self._configuration()
        findings = [f for f in engine.check(source, configuration)
                    if self._wanted(f.code, f.fixable)]
        if not findings:
            raise SkipFile("no fixable connclose finding")
        result = apply_fixes(source, findings, self.unsafe, configuration.settings,
                             lambda text: engine.check(text, configuration, keep=True))
        if not result.changed:
            raise SkipFile("; ".join(sorted({n.reason for n in result.not_fixed})))
        return cst.parse_module(result.source)

    def _wanted(self, code: str, fixable: bool) -> bool:
        return fixable or (self.unsafe and BY_CODE[code].applicability == "unsafe")

    def _configuration(self) -> engine.Configuration:
        """The file's configuration, as `connclose FILE` would find it."""
        filename = self.context.filename
        try:
            if self.config_path is not None:
                found: Path | None = Path(self.config_path)
            else:
                found = config.find(Path(filename).parent) if filename else None
            conf = config.load(found) if found is not None else config.Config()
        except config.ConfigError as error:
            raise SkipFile(str(error)) from None
        return conf.configuration(filename or "-")
