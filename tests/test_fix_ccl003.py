"""CCL003 fixes (unsafe): one shared session around the loop."""

from __future__ import annotations

import pytest
from fixing import d

from flake8_connclose.engine import check_source
from flake8_connclose.fixes import apply_fixes


CCL003_FIXES = {
    "for_loop": (
        """
        import requests

        def f(urls):
            out = []
            # fetch each
            for u in urls:
                out.append(requests.get(u, timeout=5).json())
            return out
        """,
        """
        import requests

        def f(urls):
            out = []
            # fetch each
            with requests.Session() as session:
                for u in urls:
                    out.append(session.get(u, timeout=5).json())
            return out
        """,
    ),
    "from_import_adds_import_and_free_name": (
        """
        from requests import get, post

        def f(urls, session):
            while urls:
                post(urls.pop(), json=session)
                get(urls[0] if urls else "x")
        """,
        """
        from requests import get, post
        import requests

        def f(urls, session):
            with requests.Session() as http_session:
                while urls:
                    http_session.post(urls.pop(), json=session)
                    http_session.get(urls[0] if urls else "x")
        """,
    ),
    "nested_loops_share_one": (
        """
        import httpx as hx

        def f(grid):
            for row in grid:
                for u in row:
                    print(hx.get(u).status_code)
        """,
        """
        import httpx as hx

        def f(grid):
            with hx.Client() as client:
                for row in grid:
                    for u in row:
                        print(client.get(u).status_code)
        """,
    ),
    "comprehension": (
        """
        import requests

        def f(urls):
            return [requests.get(u).text for u in urls]
        """,
        """
        import requests

        def f(urls):
            with requests.Session() as session:
                return [session.get(u).text for u in urls]
        """,
    ),
}


@pytest.mark.parametrize("before, after", CCL003_FIXES.values(), ids=list(CCL003_FIXES))
def test_ccl003_fixes(before: str, after: str) -> None:
    source = d(before)
    assert apply_fixes(source, check_source(source)).source == source  # unsafe: not by default
    result = apply_fixes(source, check_source(source), unsafe=True)
    assert result.source == d(after)
    assert result.fixed and not result.not_fixed
    assert apply_fixes(result.source, check_source(result.source), unsafe=True).source \
        == result.source


CCL003_NOOPS = {
    "positional_params": ("""
        import requests

        def f(urls):
            for u in urls:
                requests.get(u, {"a": 1})
        """, "more positional arguments"),
    "star_kwargs": ("""
        import requests

        def f(urls, **kw):
            for u in urls:
                requests.get(u, **kw)
        """, "`**kwargs`"),
    "httpx_client_level_argument": ("""
        import httpx

        def f(urls):
            for u in urls:
                httpx.get(u, verify=False)
        """, "client-level argument `verify`"),
    "aiohttp": ("""
        import aiohttp

        async def f(urls):
            for u in urls:
                async with aiohttp.request("GET", u) as r:
                    print(r.status)
        """, "no synchronous session"),
    "module_name_taken": ("""
        from requests import get

        def f(urls, requests):
            for u in urls:
                get(u)
        """, "is taken"),
    "class_body": ("""
        import requests

        class Catalog:
            pages = [requests.get(u).json() for u in ("a", "b")]
        """, "class body"),
    "loop_shares_a_line": ("""
        import requests

        def f(urls):
            x = 1; [requests.get(u) for u in urls]
        """, "shares a line"),
}


@pytest.mark.parametrize("source, reason", CCL003_NOOPS.values(), ids=list(CCL003_NOOPS))
def test_ccl003_noop(source: str, reason: str) -> None:
    source = d(source)
    findings = check_source(source)
    assert any(f.code == "CCL003" for f in findings)
    result = apply_fixes(source, findings, unsafe=True)
    assert result.source == source
    assert any(reason in n.reason for n in result.not_fixed), result.not_fixed


def test_ccl003_thread_callable_is_not_moved() -> None:
    source = d("""
        import requests
        from concurrent.futures import ThreadPoolExecutor

        def f(urls):
            with ThreadPoolExecutor(4) as pool:
                for u in urls:
                    pool.submit(lambda: requests.get(u))
        """)
    assert not any(f.code == "CCL003" for f in check_source(source))
    assert apply_fixes(source, check_source(source), unsafe=True).source == source


def test_ccl003_without_unsafe_is_reported_as_unsafe() -> None:
    source = d(CCL003_FIXES["for_loop"][0])
    result = apply_fixes(source, check_source(source))
    assert [n.reason for n in result.not_fixed] == [
        "the fix is unsafe; apply it with --unsafe-fixes"]
