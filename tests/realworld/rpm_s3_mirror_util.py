# Source: Aiven-Open/rpm-s3-mirror fedora_s3_mirror/util.py (adapted window)
import requests
from requests import Session
from requests.adapters import HTTPAdapter
from urllib3 import Retry


def get_requests_session() -> Session:
    session = requests.session()
    retries = Retry(total=5, backoff_factor=0.1, status_forcelist=[500, 502, 503, 504])
    session.mount('http://', HTTPAdapter(max_retries=retries))
    session.mount('https://', HTTPAdapter(max_retries=retries))
    return session
