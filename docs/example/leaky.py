"""A small API client with the leaks flake8-connclose finds (a demo file)."""
import shutil

import requests

API = "https://api.example.com"


class Client:
    def __init__(self, token):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def user(self, user_id):
        return self.session.get(f"{API}/users/{user_id}").json()


def download(url, path):
    response = requests.get(url, stream=True)
    with open(path, "wb") as f:
        shutil.copyfileobj(response.raw, f)


def fetch_all(ids):
    return [requests.get(f"{API}/items/{i}").json() for i in ids]


def report(ids):
    session = requests.Session()
    for i in ids:
        print(session.get(f"{API}/items/{i}").status_code)
    session.close()
