"""The engine's own contract: pre-filter, positions, sorting, errors."""

from __future__ import annotations

import pytest

from flake8_connclose.engine import check_source, may_have_findings
from flake8_connclose.settings import Settings


@pytest.mark.parametrize("text, passes", [
    ("import requests\n", True),
    ("import os, requests as rq\n", True),
    ("from requests.adapters import HTTPAdapter\n", True),
    ("if TYPE_CHECKING: import httpx\n", True),
    ("from aiohttp import (\n    ClientSession,\n)\n", True),
    ("# this module makes no requests\nx = 1\n", False),
    ("def handle(requests):\n    return requests.get('u')\n", False),
    ("import os\n", False),
    # The new rows get through, each by every import that can bind its names...
    ("import urllib.request\n", True),
    ("from urllib.request import urlopen\n", True),
    ("from urllib import parse, request\n", True),
    ("from urllib import (\n    parse,\n    request,\n)\n", True),
    ("import urllib\n\nurllib.request.urlopen(u)\n", True),
    ("import http.client\n", True),
    ("from http import client\n", True),
    ("from http.client import HTTPSConnection\n", True),
    ("import urllib3\n", True),
    ("from curl_cffi import requests\n", True),
    ("import curl_cffi.requests as cr\n", True),
    ("import websockets\n", True),
    ("from websockets.sync.client import connect\n", True),
    # ... and a sibling module of theirs costs nothing.
    ("import urllib.parse\nurl = 'https://example.com/request'\n", False),
    ("from urllib.parse import urljoin\n", False),
    ("from http.server import HTTPServer\n", False),
    ("from http import HTTPStatus\nclient = None\n", False),
    ("import http.cookies, urllib.error\n", False),
    ("import urllib\n", False),  # and no `urllib.request` to follow
])
def test_pre_filter(text: str, passes: bool) -> None:
    assert may_have_findings(text) is passes


def test_pre_filter_knows_configured_modules() -> None:
    text = "from myapp import api\n"
    assert not may_have_findings(text)
    assert may_have_findings(text, Settings.from_lists([], ["myapp.api"]))


def test_findings_are_sorted_and_unique() -> None:
    source = (
        "import requests\n\ndef f(us):\n"
        "    for u in us:\n        requests.get(u); requests.post(u)\n"
        "    for u in us:\n        requests.head(u)\n"
    )
    found = [(f.line, f.col) for f in check_source(source)]
    assert found == [(5, 8), (5, 25), (7, 8)]


def test_end_position_is_the_end_of_the_call() -> None:
    (finding,) = check_source("import requests\nfor u in us:\n    requests.get(\n        u)\n")
    assert (finding.line, finding.col, finding.end_line, finding.end_col) == (3, 4, 4, 10)


@pytest.mark.parametrize("source", ["import requests\ndef f(:\n", "import requests\0\n"])
def test_unparsable_source_raises_like_compile(source: str) -> None:
    with pytest.raises((SyntaxError, ValueError)):
        check_source(source)


def test_a_leading_bom_is_read_as_python_reads_it() -> None:
    source = "import requests\n\n\ndef f(urls):\n    for u in urls:\n        requests.get(u)\n"
    assert check_source("\ufeff" + source) == check_source(source) != []
