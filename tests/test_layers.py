"""The shape of the package: layers that point one way, library facts only
in the table. These read the package's own source, so a change that breaks
the shape fails here before a reviewer has to notice it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_connclose.libraries import LIBRARIES

PACKAGE = Path(__file__).resolve().parent.parent / "flake8_connclose"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The package's own modules ``path`` imports, wherever the import is."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    names = {_name(p) for p in MODULES}
    return {name for name in found if name in names} - {_name(path)}


GRAPH = {_name(path): _imports(path) for path in MODULES}


def _reaches(start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        for target in GRAPH.get(node, ()):
            if target == goal:
                return True
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return False


def test_the_import_graph_has_no_circle() -> None:
    """A package imports its own ``__init__`` implicitly; other than that, no
    module may import, however indirectly, a module that imports it."""
    circles = [(a, b) for a in GRAPH for b in GRAPH[a]
               if not a.startswith(b + ".") and _reaches(b, a)]
    assert circles == []


@pytest.mark.parametrize("layer, forbidden", [
    ("flake8_connclose.planning", ("flake8_connclose.rules", "flake8_connclose.fixes",
                                   "flake8_connclose.engine")),
    ("flake8_connclose.rules", ("flake8_connclose.fixes", "flake8_connclose.engine")),
    ("flake8_connclose.engine", ("flake8_connclose.fixes",)),
])
def test_layers_point_one_way(layer: str, forbidden: tuple[str, ...]) -> None:
    wrong = {(module, target) for module, targets in GRAPH.items()
             if module.startswith(layer) for target in targets if target.startswith(forbidden)}
    assert wrong == set()


def test_only_the_fix_layer_imports_libcst() -> None:
    importers = {
        _name(path) for path in MODULES
        if any(isinstance(node, (ast.Import, ast.ImportFrom))
               and any((getattr(node, "module", None) or alias.name).startswith("libcst")
                       for alias in node.names)
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert importers and all(name.startswith("flake8_connclose.fixes.") or
                             name == "flake8_connclose.codemod" for name in importers)


LIBRARY_MODULES = {lib.module for lib in LIBRARIES}


@pytest.mark.parametrize("path", [p for p in MODULES if p.parent.name in ("rules", "planning")],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rules_and_planners_name_no_library(path: Path) -> None:
    """A library fact belongs to its row of the table: code that compares
    with `"aiohttp"` or `"requests.get"` is a fact in the wrong room. Only
    strings that are code count, not documentation."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.keyword)
            and node.arg in _DOC_FIELDS} | _docstrings(tree)
    named = [node.value for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and id(node) not in docs
             and (node.value in LIBRARY_MODULES
                  or node.value.split(".")[0] in LIBRARY_MODULES and "." in node.value)]
    assert named == []


_DOC_FIELDS = {"summary", "message", "fix_safety", "what_it_does", "why_is_this_bad",
               "example", "use_instead", "options", "known_problems", "references", "valid"}


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant):
            found.add(id(body[0].value))
    return found
