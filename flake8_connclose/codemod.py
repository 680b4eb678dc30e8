"""The LibCST face of the safe fixes, for LibCST's own runner:

    python -m libcst.tool codemod -x flake8_connclose.codemod.CloseConnections src/

It runs the same engine and the same guarded applier as `connclose --fix`,
so the two can never rewrite differently.
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod import SkipFile, VisitorBasedCodemodCommand

from flake8_connclose.engine import check_source
from flake8_connclose.fixes import apply_fixes


class CloseConnections(VisitorBasedCodemodCommand):
    DESCRIPTION = "Wrap leaking HTTP sessions and streams in `with` (flake8-connclose safe fixes)."

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        source = tree.code
        findings = [f for f in check_source(source) if f.fixable]
        if not findings:
            raise SkipFile("no fixable connclose finding")
        result = apply_fixes(source, findings, unsafe=False)
        if not result.changed:
            raise SkipFile("; ".join(sorted({n.reason for n in result.not_fixed})))
        return cst.parse_module(result.source)
