"""Issue 13's kinds that need more than a fixture: messages and fixability."""

from __future__ import annotations

from flake8_connclose.engine import check_source


def _findings(source: str) -> list[tuple[int, str, bool, str]]:
    return [(f.line, f.code, f.fixable, f.message) for f in check_source(source)]


def test_a_niquests_async_stream_gets_the_async_remedy() -> None:
    source = (
        "import niquests\n\n"
        "async def f(url):\n"
        "    s = niquests.AsyncSession()\n"
        "    try:\n"
        "        r = await s.get(url, stream=True)\n"
        "        return r.headers\n"
        "    finally:\n"
        "        await s.close()\n"
    )
    ((line, code, fixable, message),) = _findings(source)
    assert (line, code, fixable) == (6, "CCL002", False)  # awaited: the planner refuses
    assert message.endswith("use `async with s.get(...) as r:`")


def test_a_niquests_async_stream_on_self_gets_the_async_remedy() -> None:
    source = (
        "import niquests\n\n"
        "class Api:\n"
        "    def __init__(self):\n"
        "        self.s = niquests.AsyncSession()\n\n"
        "    async def get(self, url):\n"
        "        r = await self.s.get(url, stream=True)\n"
        "        return r.status_code\n\n"
        "    async def aclose(self):\n"
        "        await self.s.close()\n"
    )
    ((line, code, _, message),) = _findings(source)
    assert (line, code) == (8, "CCL002")
    assert message.endswith("use `async with self.s.get(...) as r:`")


def test_an_aiohttp_response_is_reported_and_fixable() -> None:
    source = (
        "import aiohttp\n\n"
        "async def f(session: aiohttp.ClientSession, url):\n"
        "    resp = await session.get(url)\n"
        "    return resp.status\n"
    )
    ((line, code, fixable, message),) = _findings(source)
    assert (line, code, fixable) == (4, "CCL002", True)
    assert message.endswith("use `async with session.get(...) as resp:`")


def test_new_bindings_are_reported_not_fixable() -> None:
    source = (
        "import requests\n\n"
        "def f(url, session=None):\n"
        "    session = session or requests.Session()\n"
        "    a = b = requests.Session()\n"
        "    return session.get(url).text, a, b\n"
    )
    assert [(line, code, fixable) for line, code, fixable, _ in _findings(source)] == [
        (4, "CCL001", False)]


def test_indirect_functional_calls_name_the_api() -> None:
    source = "import requests\n\ndef f(urls):\n    return list(map(requests.get, urls))\n"
    ((line, code, fixable, message),) = _findings(source)
    assert (line, code, fixable) == (4, "CCL003", False)
    assert message.startswith("`requests.get()` in a loop")


def test_a_fallback_is_not_told_to_use_with() -> None:
    """`with` around `session or requests.Session()` would close the caller's session."""
    from flake8_connclose.engine import check_source

    source = ("import requests\n\n\ndef f(url, session=None):\n"
              "    s = session or requests.Session()\n    return s.get(url).text\n")
    (finding,) = check_source(source)
    assert "in a `finally:` when this function created it" in finding.message
    assert "use `with" not in finding.message and not finding.fixable
