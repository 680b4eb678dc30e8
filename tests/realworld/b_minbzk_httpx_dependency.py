# Source: MinBZK/startscherm-y-digital backend/bsw-api/src/api_utils/clients/httpx_client.py (adapted window)
from httpx import AsyncClient


async def get_http_client():
    async with AsyncClient() as client:
        yield client
