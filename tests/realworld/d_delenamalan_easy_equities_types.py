# Source: delenamalan/easy-equities-client easy_equities_client/types.py (adapted window)
# Labelled from the SPEC before the engine ran: a session built when none is passed is stored
# on self and no method closes it: CCL006.
from requests import Session


class Client:
    def __init__(self, base_url: str = "", session: Session = None):
        self.base_url = base_url
        if session is None:
            self.session = Session()  # expect: CCL006:28
        else:
            self.session = session

    def _url(self, path: str):
        return f"{self.base_url}{path}"
