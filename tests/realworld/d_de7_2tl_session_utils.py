# Source: de7-2TL/pipeline src/plugins/utils/session_utils.py (adapted window)
# Labelled from the SPEC before the engine ran: a curl_cffi session built and returned: it escapes
# to the caller (no finding).
from curl_cffi import requests, Session


def get_session() -> Session:
    """
    Get a requests session that impersonates a Chrome browser.
    """

    return requests.Session(impersonate="chrome")
