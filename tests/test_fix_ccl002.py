"""CCL002 fixes: a streaming response bound in `with`, also one used inline."""

from __future__ import annotations

import pytest
from fixing import check_pair


CCL002_FIXES = {
    "functional_stream": (
        """
        import requests

        def f(url, out):
            r = requests.get(url, stream=True)
            for chunk in r.iter_content(1024):
                out.write(chunk)
            r.close()
        """,
        """
        import requests

        def f(url, out):
            with requests.get(url, stream=True) as r:
                for chunk in r.iter_content(1024):
                    out.write(chunk)
        """,
    ),
    "httpx_stream_outside_with": (
        """
        import httpx

        def f(url):
            r = httpx.stream("GET", url)
            print(r)
        """,
        """
        import httpx

        def f(url):
            with httpx.stream("GET", url) as r:
                print(r)
        """,
    ),
    "httpx_send_gets_closing_and_import": (
        """
        import httpx

        def f(client: httpx.Client, url):
            req = client.build_request("GET", url)
            resp = client.send(req, stream=True)
            return resp.read()
        """,
        """
        import httpx
        import contextlib

        def f(client: httpx.Client, url):
            req = client.build_request("GET", url)
            with contextlib.closing(client.send(req, stream=True)) as resp:
                return resp.read()
        """,
    ),
}

CCL002_INLINE_FIXES = {
    "for_over_inline_stream": (
        """
        import requests

        def f(url):
            # count lines
            for line in requests.get(url, stream=True).iter_lines():
                print(line)
        """,
        """
        import requests

        def f(url):
            # count lines
            with requests.get(url, stream=True) as response:
                for line in response.iter_lines():
                    print(line)
        """,
    ),
    "assignment_name_taken": (
        """
        import requests

        def f(url, response):
            data = requests.get(url, stream=True).raw.read(10)
            return data, response
        """,
        """
        import requests

        def f(url, response):
            with requests.get(url, stream=True) as stream_response:
                data = stream_response.raw.read(10)
            return data, response
        """,
    ),
}
CCL002_FIXES.update(CCL002_INLINE_FIXES)


@pytest.mark.parametrize("before, after", CCL002_FIXES.values(), ids=list(CCL002_FIXES))
def test_ccl002_fixes(before: str, after: str) -> None:
    check_pair(before, after)
