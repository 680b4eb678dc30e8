"""CCL005 fixes: a throwaway session becomes the functional call."""

from __future__ import annotations

import pytest
from fixing import check_pair


CCL005_FIXES = {
    "requests": (
        "import requests\n\ndef f(u):\n    return requests.Session().get(u).json()\n",
        "import requests\n\ndef f(u):\n    return requests.get(u).json()\n",
    ),
    "spelled_as_user_did": (
        "import requests as rq\n\ndef f(u):\n    return rq.session().head(u).ok\n",
        "import requests as rq\n\ndef f(u):\n    return rq.head(u).ok\n",
    ),
    "httpx": (
        "import httpx\n\ndef f(u):\n    return httpx.Client().post(u, json={})\n",
        "import httpx\n\ndef f(u):\n    return httpx.post(u, json={})\n",
    ),
}


@pytest.mark.parametrize("before, after", CCL005_FIXES.values(), ids=list(CCL005_FIXES))
def test_ccl005_fixes(before: str, after: str) -> None:
    check_pair(before, after)
