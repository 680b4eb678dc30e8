"""The lifetime rule: a fix closes a resource only after the last use of
anything derived from it, and refuses, saying why, when one may outlive the
block. One case per kind; the differential test runs such programs for real."""

from __future__ import annotations

import pytest
from fixing import d

from flake8_connclose.engine import check_source
from flake8_connclose.fixes import apply_fixes, why_not_fixable


def _fixed(source: str, unsafe: bool = False) -> str:
    source = d(source)
    result = apply_fixes(source, check_source(source), unsafe=unsafe)
    assert result.fixed, result.not_fixed
    return result.source


def _refusal(source: str, unsafe: bool = False, code: str = "") -> str:
    """The reason the finding (of ``code``, if given) is not fixed; the
    source must come back untouched."""
    source = d(source)
    findings = [f for f in check_source(source) if f.code.startswith(code)]
    assert findings, "expected a finding"
    result = apply_fixes(source, findings, unsafe=unsafe)
    assert result.source == source and not result.fixed
    assert not any(f.fixable for f in findings if f.code in ("CCL001", "CCL002", "CCL005"))
    return "; ".join(n.reason for n in result.not_fixed)


EXTENDED = {
    "alias_through_if_expression": ("""
        import httpx

        def f(u):
            s = httpx.Client()
            t = s if u else None
            print(s.get(u).status_code)
            print(t.get(u).status_code)
        """, "        print(t.get(u).status_code)\n"),
    "bound_method_used_later": ("""
        import httpx

        def f(u):
            s = httpx.Client()
            g = s.get
            print(s.get(u).status_code)
            print(g(u).status_code)
        """, "        print(g(u).status_code)\n"),
    "generator_expression_consumed_later": ("""
        import httpx

        def f(urls):
            s = httpx.Client()
            pages = (s.get(u) for u in urls)
            print(len(urls))
            for page in pages:
                print(page.status_code)
        """, "            print(page.status_code)\n"),
    "stream_iterator_consumed_later": ("""
        import requests

        def f(u):
            r = requests.get(u, stream=True)
            chunks = r.iter_content(4)
            print(r.status_code)
            print(sum(len(c) for c in chunks))
        """, "        print(sum(len(c) for c in chunks))\n"),
    "aiohttp_response_read_later": ("""
        import aiohttp

        async def f(u):
            s = aiohttp.ClientSession()
            resp = await s.get(u)
            print(resp.status)
            print(len(await resp.read()))
        """, "        print(len(await resp.read()))\n"),
    "gather_awaited_at_once": ("""
        import asyncio
        import httpx

        async def f(a, b):
            c = httpx.AsyncClient()
            first, second = await asyncio.gather(c.get(a), c.get(b))
            print(first.status_code, second.status_code)
        """, "        print(first.status_code, second.status_code)\n"),
}


@pytest.mark.parametrize("source, last_line", EXTENDED.values(), ids=list(EXTENDED))
def test_the_block_runs_through_the_last_derived_use(source: str, last_line: str) -> None:
    fixed = _fixed(source)
    assert fixed.endswith(last_line), fixed  # indented one level deeper: inside the `with`
    assert "with " in fixed


REFUSED = {
    "bound_method_returned": ("""
        import httpx

        def f(u):
            s = httpx.Client()
            print(s.get(u).status_code)
            return s.get
        """, "`s.get` (made from `s`) is returned on line 6"),
    "generator_expression_returned": ("""
        import httpx

        def f(urls):
            s = httpx.Client()
            print(len(urls))
            return (s.get(u) for u in urls)
        """, "is returned on line 6"),
    "thread_target": ("""
        import threading
        import httpx

        def f(u):
            s = httpx.Client()
            t = threading.Thread(target=s.get, args=(u,))
            t.start()
            t.join()
        """, "handed to `Thread()`"),
    "task_not_awaited_at_once": ("""
        import asyncio
        import httpx

        async def f(u):
            c = httpx.AsyncClient()
            task = asyncio.create_task(c.get(u))
            print("started")
            return await task
        """, "handed to `create_task()`"),
    "executor_submit": ("""
        import httpx

        def f(pool, u):
            s = httpx.Client()
            future = pool.submit(s.get, u)
            return future.result().status_code
        """, "handed to `submit()`"),
    "derived_value_read_by_a_nested_function": ("""
        import httpx

        def f(u):
            s = httpx.Client()
            g = s.get
            def later(fetch=g):
                return fetch(u)
            return later().status_code
        """, "`g` (made from `s`) is read by a nested function"),
    "derived_value_used_outside_the_block": ("""
        import httpx

        def f(u, flag):
            if flag:
                s = httpx.Client()
                g = s.get
                print(s.get(u).status_code)
            print(g(u).status_code)
        """, "`g` (made from `s`) is used on line 8, outside the block"),
    "stream_manager_awaited": ("""
        import aiohttp

        async def f(u):
            cm = aiohttp.request("GET", u)
            resp = await cm
            return resp.status
        """, "`cm` is awaited on line 5"),
    "adapter_without_known_close": ("""
        import requests
        from requests.adapters import BaseAdapter

        class Local(BaseAdapter):
            def send(self, request, **kwargs):
                raise NotImplementedError

        def f(u):
            s = requests.Session()
            s.mount("local://", Local())
            return s.get(u).text
        """, "the adapter mounted on line 10 may have no `close()`"),
    "adapter_mounted_by_the_factory": ("""
        import requests

        def build(adapter):
            s = requests.Session()
            s.mount("x://", adapter)
            return s

        def fetch(adapter, u):
            s = build(adapter)
            return s.get(u).status_code
        """, "the adapter mounted on line 5 may have no `close()`"),
    "shared_connector": ("""
        import aiohttp

        async def f(u, shared):
            s = aiohttp.ClientSession(connector=shared)
            async with s.get(u) as r:
                return r.status
        """, "closing the session closes the `connector` it was given"),
    "contextlib_is_a_parameter": ("""
        import httpx

        def f(client: httpx.Client, req, contextlib):
            r = client.send(req, stream=True)
            return r.status_code
        """, "the name `contextlib` the fix would write is a parameter"),
}


@pytest.mark.parametrize("source, reason", REFUSED.values(), ids=list(REFUSED))
def test_the_fix_is_refused_with_a_reason(source: str, reason: str) -> None:
    assert reason in _refusal(source)


def test_async_stream_in_a_plain_def_is_not_made_a_sync_with() -> None:
    source = d("""
        import httpx

        def f(client: httpx.AsyncClient, u):
            r = client.stream("GET", u)
            print(r)
        """)
    findings = check_source(source)
    assert [f.code for f in findings] == ["CCL002"] and not findings[0].fixable
    reasons = why_not_fixable(source, findings)
    assert reasons and "async" in reasons[0].reason


def test_bound_method_of_a_requests_session_that_escapes_is_still_a_finding() -> None:
    """The finding is detection's question: the session leaks whatever the fix can do."""
    source = d("""
        import requests

        def f(u):
            s = requests.Session()
            print(s.get(u).status_code)
            return s.get
        """)
    assert [f.code for f in check_source(source)] == ["CCL001"]


def test_awaited_async_stream_is_closed_in_finally() -> None:
    fixed = _fixed("""
        import httpx

        async def f(client: httpx.AsyncClient, req):
            r = await client.send(req, stream=True)
            async for chunk in r.aiter_bytes():
                print(chunk)
        """)
    assert fixed.endswith("    r = await client.send(req, stream=True)\n    try:\n"
                          "        async for chunk in r.aiter_bytes():\n"
                          "            print(chunk)\n    finally:\n        await r.aclose()\n")


def test_a_bare_streamed_call_is_entered_and_closed() -> None:
    fixed = _fixed("""
        import requests

        def warm(u):
            requests.get(u, stream=True)  # open and drop
            return 1
        """)
    assert "    with requests.get(u, stream=True):  # open and drop\n        pass\n" in fixed


def test_seven_stacked_sessions_are_all_fixed() -> None:
    body = "".join(f"    s{i} = requests.Session()\n" for i in range(7))
    body += "    return " + " + ".join(f"s{i}.get(u).text" for i in range(7)) + "\n"
    source = "import requests\n\n\ndef f(u):\n" + body
    result = apply_fixes(source, check_source(source))
    assert len(result.fixed) == 7 and not check_source(result.source)


def test_a_tab_indented_function_in_a_space_indented_file_stays_tab_indented() -> None:
    source = ("import requests\n\n\ndef spaced():\n    return 1\n\n\n"
              "def tabbed(u):\n\ts = requests.Session()\n\treturn s.get(u).text\n")
    fixed = apply_fixes(source, check_source(source)).source
    assert fixed.endswith("def tabbed(u):\n\twith requests.Session() as s:\n"
                          "\t\treturn s.get(u).text\n")


UNSAFE_REFUSED = {
    "loop_returns_a_generator_expression": ("""
        import requests

        def sizes(urls):
            return (len(requests.get(u).content) for u in urls)
        """, "generator expression"),
    "loop_that_yields": ("""
        import requests

        def pages(urls):
            for u in urls:
                yield requests.get(u).json()
        """, "the loop yields"),
    "hoist_when_the_body_closes_the_session": ("""
        import requests

        def f(urls):
            for u in urls:
                with requests.Session() as s:
                    s.get(u)
                    s.close()
        """, "closes `s`"),
    "hoist_when_the_body_changes_the_session_on_some_iterations": ("""
        import requests

        def f(urls):
            for i, u in enumerate(urls):
                with requests.Session() as s:
                    if i == 0:
                        s.headers["X-Tag"] = "first"
                    print(s.get(u).text)
        """, "changes `s`"),
    "hoist_when_the_arguments_are_changed_by_the_loop": ("""
        import requests

        def f(urls, options):
            for u in urls:
                with requests.Session(**options) as s:
                    print(s.get(u).text)
                options.update(stream=True)
        """, "which the loop changes"),
}


@pytest.mark.parametrize("source, reason", UNSAFE_REFUSED.values(), ids=list(UNSAFE_REFUSED))
def test_unsafe_fixes_are_refused_where_they_change_behaviour(source: str, reason: str) -> None:
    assert reason in _refusal(source, unsafe=True, code="CCL00")


def test_loop_fix_inside_a_module_level_lambda_does_not_crash() -> None:
    source = "import requests\n\nf = lambda urls: [requests.get(u) for u in urls]\n"
    result = apply_fixes(source, check_source(source), unsafe=True)
    assert result.source == source and result.not_fixed


def test_unsafe_advice_is_given_only_where_unsafe_fixes_fix_it() -> None:
    source = d("""
        import aiohttp

        async def f(urls):
            for u in urls:
                async with aiohttp.request("GET", u) as r:
                    print(r.status)
        """)
    reasons = why_not_fixable(source, [f for f in check_source(source) if f.code == "CCL003"])
    assert reasons and all("--unsafe-fixes" not in n.reason for n in reasons)


def test_shortcut_that_would_leave_a_stream_is_not_offered() -> None:
    source = ("import requests\n\n\ndef f(u):\n"
              "    return requests.Session().get(u, stream=True).raw\n")
    findings = [f for f in check_source(source) if f.code == "CCL005"]
    assert findings and not findings[0].fixable


def test_one_statement_block_after_a_multi_line_header_is_not_offered() -> None:
    source = ("import requests\n\n\ndef f(c, d):\n    if (c and\n            d): "
              "s = requests.Session(); s.get(c)\n")
    findings = check_source(source)
    assert findings and not any(f.fixable for f in findings)
    assert apply_fixes(source, findings).source == source


def test_a_form_feed_in_the_indentation_is_not_offered() -> None:
    source = ("import requests\n\n\ndef f(u):\n"
              "\x0c    s = requests.Session()\n    return s.get(u).text\n")
    findings = check_source(source)
    assert findings and not any(f.fixable for f in findings)
    assert apply_fixes(source, findings).source == source
