# Source: nachofalchi/chat-app client/websocket_client.py (adapted window)
# Labelled from the SPEC before the engine ran: the websocket stored on self is closed by the
# class's own close() (the None guard is not a stale-session close): no finding.
import asyncio
import websockets

class WebSocketClient:
    def __init__(self, url):
        self.url = url
        self.websocket = None

    async def connect(self):
        """Conectar al servidor WebSocket"""
        self.websocket = await websockets.connect(self.url)

    async def send_message(self, message):
        if self.websocket:
            await self.websocket.send(message)

    async def receive_message(self):
        if self.websocket:
            message = await self.websocket.recv()
            return message

    async def close(self):
        """Cerrar la conexión WebSocket"""
        if self.websocket:
            await self.websocket.close()
