# Source: Bogdankozlovskiy/books_shop web_socket_client.py (adapted window)
# Labelled from the SPEC before the engine ran: an awaited websockets connect() bound to a name is
# a session; only data (the received message) is returned, the socket never closed.
import asyncio
from websockets import connect


async def hello(uri):
    websocket = await connect(uri)  # expect: CCL001:23
    await websocket.send("Hello world!")
    return await websocket.recv()

asyncio.run(hello("ws://localhost:5555"))
