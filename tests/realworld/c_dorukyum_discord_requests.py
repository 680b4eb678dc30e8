# Source: Dorukyum/discord-helpers discord/ext/helpers/requests.py (adapted window)
# Labeled from the SPEC before the engine ran: every session and response is
# entered with `async with` (no finding).
import aiohttp


class Requests:
    @staticmethod
    async def get(url, **kwargs):
        async with aiohttp.ClientSession() as ses:
            async with ses.get(url, **kwargs) as resp:
                return resp

    @staticmethod
    async def post(url, **kwargs):
        async with aiohttp.ClientSession() as ses:
            async with ses.post(url, **kwargs) as resp:
                return resp
