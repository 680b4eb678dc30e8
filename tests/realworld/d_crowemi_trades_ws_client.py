# Source: crowemi/crowemi-trades-websocket client.py (adapted window)
# Labelled from the SPEC before the engine ran: a sync websockets connection entered with `with`
# inside a loop: CCL004 excludes websockets (reconnecting per iteration): no finding.
import asyncio
from websockets.sync.client import connect


def client():
    while True:
        with connect("ws://localhost:8765") as websocket:
            message = websocket.recv()
            print(f"Received: {message}")


client()
