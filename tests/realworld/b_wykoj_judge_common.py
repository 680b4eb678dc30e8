# Source: wykstemteam/wykoj-judge judge/common.py (adapted window)
# realworld: CCL901 (this window opts in to the off-by-default rule)
import threading

import requests
from requests.adapters import HTTPAdapter, Retry

session = requests.Session()  # expect: CCL901:11
retries = Retry(total=5, backoff_factor=1, status_forcelist=[502])
session.mount("http://", HTTPAdapter(max_retries=retries))
session.mount("https://", HTTPAdapter(max_retries=retries))

pending_shutdown = threading.Event()
