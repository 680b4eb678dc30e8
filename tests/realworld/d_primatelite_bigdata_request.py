# Source: PrimatElite/big-data connector/request.py (adapted window)
# Labelled from the SPEC before the engine ran: the class stores a Session on self; closing each
# response's connection is not closing the session, and no method closes it: CCL006.
import requests


class Request:
    def __init__(self, headers: dict = None):
        self.session = requests.Session()  # expect: CCL006:24
        self.headers = headers

        self.session.trust_env = False

    def get(self, url):
        response = self.session.get(url, headers=self.headers)
        response.connection.close()
        return response
