"""`python -m flake8_connclose.trace`: a program runs as under `python`, and
what it left open is named at its exit. Each program here is run both ways,
as a child process, against a 127.0.0.1 server."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from test_fix_traffic import server, server_url  # noqa: F401 (fixtures: the loopback server)

LEAKY = """
import atexit
import sys

import requests


def fetch(url):
    session = requests.Session()  # line 8: never closed
    print("status", session.get(url).status_code, sys.argv[2:])
    kept = requests.Session()  # closed by the program's own atexit handler
    atexit.register(kept.close)
    with requests.Session() as fine:
        fine.get(url)
    return session


keep = fetch(sys.argv[1])
sys.exit(int(sys.argv[2]))
"""


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = "127.0.0.1"
    return subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=60, check=False)


def _script(tmp_path: Path, name: str, source: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    return str(path)


def _trace(*argv: str) -> list[str]:
    return ["-m", "flake8_connclose.trace", *argv]


def test_names_the_leak_and_keeps_output_and_status(
        tmp_path: Path, server_url: str) -> None:  # noqa: F811
    script = _script(tmp_path, "leaky.py", LEAKY)
    plain = _run([script, server_url, "3"], tmp_path)
    traced = _run(_trace("leaky.py", server_url, "3"), tmp_path)
    assert (traced.returncode, traced.stdout) == (plain.returncode, plain.stdout) == (
        3, "status 200 ['3']\n")
    assert plain.stderr == ""
    assert traced.stderr.splitlines() == [
        "connclose: 1 session or stream left open",
        "leaky.py:8: requests.Session() created in fetch was never closed (CCL001)",
    ]


def test_a_clean_program_prints_nothing_more(tmp_path: Path,
                                             server_url: str) -> None:  # noqa: F811
    script = _script(tmp_path, "clean.py", """
        import sys

        import httpx

        with httpx.Client() as client:
            print(client.get(sys.argv[1]).status_code, file=sys.stderr)
        with httpx.stream("GET", sys.argv[1]) as response:
            print(len(next(response.iter_bytes(1024))) > 0)
    """)
    plain = _run([script, server_url], tmp_path)
    traced = _run(_trace(script, server_url), tmp_path)
    assert (plain.returncode, plain.stdout, plain.stderr) == (0, "True\n", "200\n")
    assert (traced.returncode, traced.stdout, traced.stderr) == \
        (plain.returncode, plain.stdout, plain.stderr)


def test_an_uncaught_exception_looks_the_same(tmp_path: Path,
                                              server_url: str) -> None:  # noqa: F811
    script = _script(tmp_path, "crash.py", """
        import sys

        import requests

        response = requests.get(sys.argv[1], stream=True)
        raise RuntimeError("after the request")
    """)
    plain = _run([script, server_url], tmp_path)
    traced = _run(_trace(script, server_url), tmp_path)
    assert plain.returncode == traced.returncode == 1
    leak = (f"{script}:5: streamed requests.Response created in <module> was "
            "garbage-collected without being closed (CCL002)")
    # The traceback is python's own; the stream went with the failed module.
    assert traced.stderr == plain.stderr + "connclose: 1 session or stream left open\n" \
        + leak.replace(f"{tmp_path}{os.sep}", "") + "\n"


def test_module_mode(tmp_path: Path, server_url: str) -> None:  # noqa: F811
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(textwrap.dedent("""
        import sys

        import httpx


        def main():
            client = httpx.Client()
            print(sys.argv[0].endswith("__main__.py"), client.get(sys.argv[1]).status_code)


        main()
    """).lstrip("\n"), encoding="utf-8")
    traced = _run(_trace("-m", "app", server_url), tmp_path)
    assert (traced.returncode, traced.stdout) == (0, "True 200\n")
    assert traced.stderr.splitlines()[1:] == [
        f"{os.path.join('app', '__main__.py')}:7: httpx.Client() created in main was "
        "garbage-collected without being closed (CCL001)"]


def test_usage(tmp_path: Path) -> None:
    missing = _run(_trace(), tmp_path)
    assert missing.returncode == 2 and missing.stderr.startswith("usage:")
