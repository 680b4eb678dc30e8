"""Every rule against its fixture file and its own documented examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from expectations import expected, fixture, reported

from flake8_connclose.engine import check_source
from flake8_connclose.rules import RULES, Rule

FIXTURES = sorted(p.name for p in (Path(__file__).parent / "fixtures").glob("*.py"))


def test_every_rule_has_a_fixture() -> None:
    assert {f"{rule.code.lower()}.py" for rule in RULES} <= set(FIXTURES)


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_reports_exactly_the_marked_positions(name: str) -> None:
    source = fixture(name)
    assert reported(source) == expected(source)


def _codes(source: str) -> set[str]:
    return {finding.code for finding in check_source(source)}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_example_is_reported(rule: Rule) -> None:
    assert rule.code in _codes(rule.example)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_fix_is_clean(rule: Rule) -> None:
    assert rule.code not in _codes(rule.use_instead)


@pytest.mark.parametrize(
    "rule, source",
    [(rule, source) for rule in RULES for source in rule.valid],
    ids=[f"{rule.code}-valid{i}" for rule in RULES for i, _ in enumerate(rule.valid)],
)
def test_documented_valid_example_is_not_reported(rule: Rule, source: str) -> None:
    assert rule.code not in _codes(source)


@pytest.mark.parametrize("client, keyword", [("AsyncClient", "async with"), ("Client", "with")])
def test_stream_remedy_in_async_def_matches_the_client(client: str, keyword: str) -> None:
    source = (f"import httpx\n\nasync def f(u):\n    {keyword} httpx.{client}() as c:\n"
              f"        r = c.stream('GET', u)\n        print(r)\n")
    (finding,) = check_source(source)
    assert finding.message.endswith(f"use `{keyword} c.stream(...) as r:`")


def test_an_async_send_stream_is_closed_with_aclose() -> None:
    source = ("import httpx\n\nasync def f(u):\n    async with httpx.AsyncClient() as c:\n"
              "        r = await c.send(c.build_request('GET', u), stream=True)\n"
              "        print(r)\n")
    (finding,) = check_source(source)
    assert finding.message.endswith("call `await r.aclose()` in a `finally:`")


def test_messages_name_the_api_as_written() -> None:
    source = "import requests as rq\n\ndef f(urls):\n    for u in urls:\n        rq.get(u)\n"
    (finding,) = check_source(source)
    assert finding.message.startswith("`rq.get()` in a loop")
    assert "`rq.Session()`" in finding.message and "`session.get()`" in finding.message


def test_an_aiohttp_response_is_a_response_and_closed_with_async_with() -> None:
    """Every aiohttp response holds its connection, streamed or not; in a
    coroutine the remedy for one made in a comprehension is `async with`."""
    source = ("import aiohttp\n\n"
              "async def one(session: aiohttp.ClientSession, u):\n"
              "    resp = await session.get(u)\n"
              "    return resp.status\n\n"
              "async def many(session: aiohttp.ClientSession, urls):\n"
              "    for r in [await session.get(u) for u in urls]:\n"
              "        print(r.status)\n")
    one, many = check_source(source)
    assert one.message.startswith("response from `session.get()` is not closed")
    assert one.message.endswith("use `async with session.get(...) as resp:`")
    assert many.message.startswith("response from `session.get()` is made in a comprehension")
    assert many.message.endswith("entered with `async with` where it is used")
