# Source: genzj/asyncio-training-course 02-asyncio-basic/e00-sync-http-client.py (adapted window)
# Labelled from the SPEC before the engine ran: the session is under `with` and the response of
# the annotated session parameter is under `with` too (no finding).
import requests


def fetch(session: requests.Session, url):
    with session.get(url) as response:
        return response.text


def main():
    with requests.session() as session:
        html = fetch(session, 'https://python.org')
        print(html)


main()
