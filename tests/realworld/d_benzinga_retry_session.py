# Source: Benzinga/benzinga-python-client benzinga/config.py (adapted window)
# Labelled from the SPEC before the engine ran: a fallback session, configured and returned: it
# escapes to the caller (no finding).
import requests
from requests.adapters import HTTPAdapter
from requests.packages.urllib3.util.retry import Retry
import time
t0 = time.time()

def requests_retry_session(
        retries=5,
        backoff_factor=0.3,
        status_forcelist=(429, 500, 502, 503, 504),
        session=None,
):
    session = session or requests.Session()
    retry = Retry(
        total=retries,
        read=retries,
        connect=retries,
        backoff_factor=backoff_factor,
        status_forcelist=status_forcelist,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount('http://', adapter)
    session.mount('https://', adapter)
    return session
