# Source: sralloza/reboot-notifier reboot_notifier/networking.py (adapted window)
# realworld: CCL901 (this window opts in to the off-by-default rule)
# Labeled from the SPEC before the engine ran: a module-level session (CCL901).
from requests import Session
from requests.adapters import HTTPAdapter
from requests.packages.urllib3.util.retry import Retry

retry_strategy = Retry(
    total=3,
    status_forcelist=[429, 500, 502, 503, 504, 524],
    method_whitelist=["HEAD", "GET", "OPTIONS"],
)
adapter = HTTPAdapter(max_retries=retry_strategy)
session = Session()  # expect: CCL901:11
session.mount("https://", adapter)
session.mount("http://", adapter)
