"""CCL004 fixes (unsafe): hoist the session out of the loop."""

from __future__ import annotations

import pytest
from fixing import d

from flake8_connclose.engine import check_source
from flake8_connclose.fixes import apply_fixes


CCL004_FIXES = {
    "with_in_loop": (
        """
        import requests

        def f(ids):
            for i in ids:
                # one per item
                with requests.Session() as s:  # why
                    s.put(f"https://x/{i}")
        """,
        """
        import requests

        def f(ids):
            with requests.Session() as s:  # why
                for i in ids:
                    # one per item
                    s.put(f"https://x/{i}")
        """,
    ),
    "bound_in_loop_wrapped_then_hoisted": (
        """
        import httpx

        def f(urls):
            while urls:
                client = httpx.Client(timeout=3)
                print(client.get(urls.pop()).status_code)
        """,
        """
        import httpx

        def f(urls):
            with httpx.Client(timeout=3) as client:
                while urls:
                    print(client.get(urls.pop()).status_code)
        """,
    ),
}


@pytest.mark.parametrize("before, after", CCL004_FIXES.values(), ids=list(CCL004_FIXES))
def test_ccl004_fixes(before: str, after: str) -> None:
    source = d(before)
    assert not any(f.code == "CCL004" for f in apply_fixes(source, check_source(source)).fixed)
    result = apply_fixes(source, check_source(source), unsafe=True)
    assert result.source == d(after)
    assert not result.not_fixed and not check_source(result.source)


CCL004_NOOPS = {
    "depends_on_loop": ("""
        import httpx

        def f(hosts):
            for h in hosts:
                with httpx.Client(base_url=h) as c:
                    c.get("/")
        """, "depend on the loop"),
    "computed_per_iteration": ("""
        import requests

        def f(ids, token):
            for i in ids:
                with requests.Session(token()) as s:
                    s.get(i)
        """, "computed per iteration"),
    "not_directly_in_loop": ("""
        import requests

        def f(ids):
            for i in ids:
                if i:
                    with requests.Session() as s:
                        s.get(i)
        """, "not directly in the loop"),
    "inline": ("""
        import requests

        def f(ids):
            for i in ids:
                with requests.Session() as s, open(i) as fh:
                    s.get(fh.read())
        """, "constructor alone"),
    "target_used_outside": ("""
        import requests

        def f(ids):
            for i in ids:
                with requests.Session() as s:
                    s.get(i)
            return s
        """, "used outside its `with`"),
}


@pytest.mark.parametrize("source, reason", CCL004_NOOPS.values(), ids=list(CCL004_NOOPS))
def test_ccl004_noop(source: str, reason: str) -> None:
    source = d(source)
    findings = check_source(source)
    assert any(f.code == "CCL004" for f in findings)
    result = apply_fixes(source, findings, unsafe=True)
    assert result.source == source
    assert any(reason in n.reason for n in result.not_fixed), result.not_fixed
