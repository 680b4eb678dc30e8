# Source: Minibrams/fastapi-benchmark controllers/asynchronous.py (adapted window)
# realworld: CCL901 (this window opts in to the off-by-default rule)
import json
import aiofiles
import asyncio
from fastapi import APIRouter
from httpx import AsyncClient

router = APIRouter(prefix='/async')

client = AsyncClient(timeout=60)  # expect: CCL901:10

@router.get('/json')
async def json_async():
    r = await client.get('https://jsonplaceholder.typicode.com/todos')
    await asyncio.sleep(1)
    return r.json()


@router.get('/http')
async def http_async():
    async with AsyncClient() as http:
        return (await http.get('https://jsonplaceholder.typicode.com/todos/1')).json()
