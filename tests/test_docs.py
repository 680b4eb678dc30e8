"""The docs pages are generated from the rules and must not go stale."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from flake8_connclose.rules import RULES, Rule

ROOT = Path(__file__).resolve().parent.parent
HEADINGS = ["What it does", "Why is this bad?", "Example", "Use instead", "Options",
            "Fix safety", "References"]


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("generate", ROOT / "docs" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path, text", _generator().pages().items(),
                         ids=lambda v: v.name if isinstance(v, Path) else "")
def test_page_is_up_to_date(path: Path, text: str) -> None:
    assert path.exists(), f"{path} is missing: run `python docs/generate.py`"
    assert path.read_text(encoding="utf-8") == text, \
        f"{path} is stale: run `python docs/generate.py`"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_page_has_the_headings_in_order(rule: Rule) -> None:
    found = re.findall(r"^## (.+)$", rule.docs_markdown(), flags=re.M)
    assert [h for h in found if h in HEADINGS] == HEADINGS


def test_readme_lists_every_rule() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"docs/rules/{rule.code}.md" in readme, rule.code
