"""`# noqa` as flake8 reads it: checked against a real flake8 run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_connclose.cli import main
from flake8_connclose.noqa import file_is_exempt, suppresses

# Each comment goes on a looped `requests.get(u)` (a CCL003 at column 9).
COMMENTS = [
    "# noqa", "# NOQA", "# NoQa", "#noqa", "#  noqa", "# noqa:CCL003", "# noqa: CCL003",
    "# noqa:  CCL003", "# noqa : CCL003", "# noqa:CCL", "# noqa:CCL0", "# noqa: CCL00",
    "# noqa: ccl003", "# noqa: E501", "# noqa: E501,CCL003", "# noqa: E501, CCL003",
    "# noqa: E501 CCL003", "# noqa:E501,,CCL003", "# noqa: CCL003 because of reasons",
    "# note # noqa", "# noqa-ish", "# noqa:CCL003:extra", "# noqa: CCL004",
    "# type: ignore # noqa: CCL003", "# noqa:CCL003,", "# NOQA:CCL003,E501",
]

MULTI_LINE = '''\
import requests


def f(urls):
    for u in urls:
        requests.get(
            u,
        )  # noqa
        requests.get(  # noqa
            u)
        requests.get(u, data="""
        """)  # noqa
        requests.get(u, data="""  # noqa
        """)
        x = \\
            requests.get(u)  # noqa
        y = requests.get(u); z = "# noqa"
        w = requests.get(u) + \\
            1  # noqa
        return x, y, z, w
'''

# Findings on compound statements' headers and in their every block.
HEADERS = '''\
import requests


class C:
    def f(self, urls):
        for u in urls:
            if u: r = requests.get(u)  # noqa
            with requests.Session() as s, \\
                    requests.get(u) as r:  # noqa: CCL003
                pass
            try:
                x = requests.get(u)
            except Exception:
                y = requests.get(
                    u)  # noqa
            else:
                z = requests.get(u)  # noqa
            finally:
                w = """
                """ + requests.get(u).text  # noqa
'''


def _comments_module() -> str:
    body = "".join(f"        requests.get(u)  {comment}\n" for comment in COMMENTS)
    return f"import requests\n\n\ndef f(urls):\n    for u in urls:\n{body}"


FILES = {
    "comments.py": _comments_module(),
    "multi_line.py": MULTI_LINE,
    "headers.py": HEADERS,
    "exempt.py": "# flake8: noqa\nimport requests\nfor u in []:\n    requests.get(u)\n",
    "exempt_codes.py": "import requests\n# flake8: noqa: E501\nfor u in []:\n    requests.get(u)\n",
    "exempt_equals.py": "import requests\n  #FLAKE8=NOQA\nfor u in []:\n    requests.get(u)\n",
    "not_exempt.py": "import requests  # flake8: noqa\nfor u in []:\n    requests.get(u)\n",
}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("noqa")
    for name, text in FILES.items():
        (root / name).write_text(text)
    return root


def _flake8(root: Path) -> set[tuple[str, int, int, str]]:
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "CCL", "."],
        capture_output=True, text=True, cwd=root,
    )
    assert proc.returncode in (0, 1), proc.stderr
    found = set()
    for line in proc.stdout.splitlines():
        path, row, col, rest = line.split(":", 3)
        found.add((Path(path).name, int(row), int(col), rest.split()[0]))
    return found


def _connclose(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> set[
        tuple[str, int, int, str]]:
    main(["--isolated", "--output-format", "json", *args, str(root)])
    return {(Path(d["path"]).name, d["line"], d["column"], d["code"])
            for d in json.loads(capsys.readouterr().out)}


def test_same_lines_suppressed_as_flake8(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = _flake8(tree)
    # The comparison means something only if some lines are kept and some dropped.
    assert ("comments.py", 9, 9, "CCL003") in expected  # `#noqa` is no noqa
    assert ("comments.py", 6, 9, "CCL003") not in expected
    assert _connclose(tree, capsys) == expected


def test_disable_noqa_reports_everything(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = _connclose(tree, capsys, "--disable-noqa")
    comment_lines = {line for name, line, _, _ in found if name == "comments.py"}
    assert comment_lines == set(range(6, 6 + len(COMMENTS)))
    assert {name for name, *_ in found} == set(FILES)


@pytest.mark.parametrize("line, code, suppressed", [
    ("x  # noqa", "CCL001", True),
    ("x  # noqa:CCL001", "CCL001", True),
    ("x  # noqa:CCL0", "CCL001", True),
    ("x  # noqa:CCL002", "CCL001", False),
    ("x  # noqa:ccl001", "CCL001", False),
    ("x  # noqa:CCL", "CCL001", True),
    ("x  #noqa", "CCL001", False),
    ("x", "CCL001", False),
])
def test_suppresses(line: str, code: str, suppressed: bool) -> None:
    assert suppresses(line, code) is suppressed


def test_file_exemption_needs_its_own_line() -> None:
    assert file_is_exempt(["import x\n", "# flake8: noqa\n"])
    assert not file_is_exempt(["import x  # flake8: noqa\n"])


@pytest.mark.parametrize("name", sorted(FILES))
def test_tokenizing_one_statement_suppresses_as_tokenizing_the_file(name: str) -> None:
    """The check tokenizes only the innermost statement that holds a
    finding: a token run never crosses one, so the verdicts are the whole
    file's."""
    import ast

    from flake8_connclose.engine import check_source
    from flake8_connclose.noqa import without_suppressed
    from flake8_connclose.sources import Source

    text = FILES[name]
    findings, lines = check_source(text), Source(text).lines
    assert findings
    assert without_suppressed(findings, lines, ast.parse(text)) == \
        without_suppressed(findings, lines)
