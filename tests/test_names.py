"""Name resolution: a call is judged by what it refers to, not its spelling.

Each case carries its own `# expect:` markers; a case without one is a near
miss that must report nothing.
"""

from __future__ import annotations

import pytest
from expectations import expected, reported

from flake8_connclose.settings import Settings

CASES = {
    "import-as": """
import requests as rq
def f(urls):
    for u in urls:
        rq.get(u)  # expect: CCL003:9
""",
    "submodule-import-as": """
import requests.sessions as rs
def f():
    s = rs.Session()  # expect: CCL001:9
    s.get("u")
""",
    "dotted-import-binds-top-name": """
import requests.adapters
def f(urls):
    for u in urls:
        requests.post(u)  # expect: CCL003:9
""",
    "from-api-import": """
from requests import api
def f(urls):
    return [api.get(u) for u in urls]  # expect: CCL003:13
""",
    "module-level-alias": """
import httpx
fetch = httpx.get
def f(urls):
    for u in urls:
        fetch(u)  # expect: CCL003:9
""",
    "import-inside-function": """
def f(urls):
    import requests
    for u in urls:
        requests.get(u)  # expect: CCL003:9
""",
    "optional-import-fallback-is-still-the-module": """
try:
    import requests
except ImportError:
    requests = None
def f(urls):
    for u in urls:
        requests.get(u)  # expect: CCL003:9
""",
    "niquests-row": """
import niquests
def f(urls):
    s = niquests.Session()  # expect: CCL001:9
    for u in urls:
        niquests.get(u)  # expect: CCL003:9
""",
    "httpx2-row": """
import httpx2
def f(u):
    with httpx2.Client() as c:
        r = c.stream("GET", u)  # expect: CCL002:13
        print(r)
""",
    "same-module-factory-is-a-constructor": """
import requests
def make_session(retries=3):
    s = requests.Session()
    s.headers["User-Agent"] = "bot"
    return s
def f(urls):
    s = make_session()  # expect: CCL001:9
    for u in urls:
        s.get(u)
def g(urls):
    for u in urls:
        with make_session() as s:  # expect: CCL004:14
            s.get(u)
def h():
    with make_session() as s:
        return s.get("u", stream=True).headers  # expect: CCL002:16
""",
    "annotated-optional-parameter-is-a-receiver": """
from typing import Optional
import requests
def f(url, session: Optional[requests.Session] = None):
    r = session.get(url, stream=True)  # expect: CCL002:9
    print(r.status_code)
""",
    "self-attribute-receiver": """
import httpx
class Api:
    client: httpx.Client
    def download(self, url):
        r = self.client.stream("GET", url)  # expect: CCL002:13
        return r.__enter__()
""",
    "non-ascii-columns-count-characters": """
import requests
def f(urls):
    for u in urls:
        données = requests.get(u)  # expect: CCL003:19
        print(données)
""",
    # Near misses: nothing below is the library.
    "parameter-shadows-module": """
import requests
def f(requests, urls):
    for u in urls:
        requests.get(u)
""",
    "local-shadows-module": """
import requests
def f(urls):
    requests = make_fake()
    for u in urls:
        requests.get(u)
""",
    "lambda-parameter-shadows": """
import requests
handlers = [lambda requests, u: [requests.get(x) for x in u]]
""",
    "same-named-module-elsewhere": """
from mylib import requests
def f(urls):
    for u in urls:
        requests.get(u)
""",
    "relative-import": """
from . import requests
def f(urls):
    for u in urls:
        requests.get(u)
""",
    "attribute-named-like-module": """
def f(self, urls):
    for u in urls:
        self.requests.get(u)
""",
    "strings-and-comments": '''
import requests
def f(urls):
    """for u in urls: requests.get(u)"""
    for u in urls:
        # requests.get(u)
        print("requests.get(u)", f"{u}: requests.Session()")
''',
    "nested-def-with-own-local": """
import requests
def f(urls):
    s = requests.Session()  # expect: CCL001:9
    def g():
        s = 1
        return s
    return g
""",
    "not-a-tracked-member": """
import requests
def f(urls):
    for u in urls:
        requests.Request("GET", u).prepare()
        requests.utils.quote(u)
""",
    "class-body-names-are-not-visible-in-methods": """
import requests
class C:
    requests = None
    def f(self, urls):
        for u in urls:
            requests.get(u)  # expect: CCL003:13
""",
}


@pytest.mark.parametrize("source", CASES.values(), ids=CASES.keys())
def test_resolution(source: str) -> None:
    assert reported(source) == expected(source)


CONFIGURED = """
import myapp.http
from myapp import api
def f(urls):
    s = myapp.http.make_session()  # expect: CCL001:9
    for u in urls:
        api.get(u)  # expect: CCL003:9
        s.get(u)
"""


def test_configured_factories_and_modules() -> None:
    settings = Settings.from_lists(["myapp.http.make_session"], ["myapp.api"])
    assert reported(CONFIGURED, settings) == expected(CONFIGURED)


def test_unconfigured_names_are_not_tracked() -> None:
    assert reported(CONFIGURED) == set()
