"""Inline expectations: `# expect: CCL001:9 CCL003:13` on the reported line.

The column is 1-based, as flake8 prints it. Read from comment tokens only,
so a marker inside a string is never an expectation.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from flake8_connclose.engine import check_source
from flake8_connclose.settings import DEFAULT, Settings

_MARKER = re.compile(r"#\s*expect:\s*(?P<items>(?:CCL\d{3}:\d+\s*)+)")
Position = tuple[int, int, str]


def expected(source: str) -> set[Position]:
    found = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        match = _MARKER.search(token.string)
        if match:
            for item in match["items"].split():
                code, col = item.split(":")
                found.add((token.start[0], int(col), code))
    return found


def reported(source: str, settings: Settings = DEFAULT) -> set[Position]:
    return {(f.line, f.col + 1, f.code) for f in check_source(source, settings)}


def fixture(name: str) -> str:
    return (Path(__file__).parent / "fixtures" / name).read_text(encoding="utf-8")
