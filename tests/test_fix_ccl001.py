"""CCL001 fixes: a session and its uses wrapped in `with`."""

from __future__ import annotations

import pytest
from fixing import check_pair, fix

from flake8_connclose.engine import check_source
from flake8_connclose.fixes import apply_fixes


CCL001_FIXES = {
    "trailing_close_removed": (
        """
        import requests

        def f(url):
            s = requests.Session()
            s.headers["A"] = "b"
            r = s.get(url)
            s.close()
            return r.json()
        """,
        """
        import requests

        def f(url):
            with requests.Session() as s:
                s.headers["A"] = "b"
                r = s.get(url)
            return r.json()
        """,
    ),
    "alias_and_statements_after_last_use_stay_out": (
        """
        import httpx as hx

        def f(url):
            client = hx.Client(timeout=3)  # keep me
            # a comment above
            data = client.get(url).json()
            print("done")
            return data
        """,
        """
        import httpx as hx

        def f(url):
            with hx.Client(timeout=3) as client:  # keep me
                # a comment above
                data = client.get(url).json()
            print("done")
            return data
        """,
    ),
    "async_session_in_async_def": (
        """
        import aiohttp

        async def f(url):
            session = aiohttp.ClientSession()
            async with session.get(url) as resp:
                text = await resp.text()
            await session.close()
            return text
        """,
        """
        import aiohttp

        async def f(url):
            async with aiohttp.ClientSession() as session:
                async with session.get(url) as resp:
                    text = await resp.text()
            return text
        """,
    ),
    "nested_block_and_tabs": (
        "import requests\n\ndef f(urls):\n\tif urls:\n\t\ts = requests.Session()\n"
        "\t\tprint(s.get(urls[0]).status_code)\n\treturn 1\n",
        "import requests\n\ndef f(urls):\n\tif urls:\n\t\twith requests.Session() as s:\n"
        "\t\t\tprint(s.get(urls[0]).status_code)\n\treturn 1\n",
    ),
    "close_with_comment_kept_inside": (
        """
        import requests

        def f(url):
            s = requests.Session()
            s.get(url)
            s.close()  # why we close
        """,
        """
        import requests

        def f(url):
            with requests.Session() as s:
                s.get(url)
                s.close()  # why we close
        """,
    ),
}


@pytest.mark.parametrize("before, after", CCL001_FIXES.values(), ids=list(CCL001_FIXES))
def test_ccl001_fixes(before: str, after: str) -> None:
    check_pair(before, after)


_HEAD = "import requests\n\ndef f(c):\n"


@pytest.mark.parametrize("source", [
    _HEAD + "    if c:\n        pass\n    else: s = requests.Session(); s.get('u')\n",
    _HEAD + "    if c:\n        pass\n    else: s = requests.Session()\n",
    _HEAD + "    match c:\n        case 1: s = requests.Session()\n",
    _HEAD + "    try:\n        pass\n    finally: s = requests.Session()\n",
], ids=["else_one_liner_two", "else_one_liner", "case_one_liner", "finally_one_liner"])
def test_one_line_blocks_are_not_fixable(source: str) -> None:
    findings = check_source(source)
    assert findings and not any(f.fixable for f in findings)
    assert apply_fixes(source, findings).source == source


def test_else_block_is_fixed() -> None:
    source = _HEAD + ("    if c:\n        pass\n    else:\n"
                      "        s = requests.Session()\n        s.get(c)\n")
    result = fix(source)
    assert result.source.endswith("    else:\n        with requests.Session() as s:\n"
                                  "            s.get(c)\n")
