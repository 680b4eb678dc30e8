# Source: zd4y/discordbot bot/bot.py (adapted window)
# Labeled from the SPEC before the engine ran: close() closes the session (no finding).
import aiohttp
from discord.ext import commands


class Bot(commands.Bot):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = None

    async def start(self, *args, **kwargs):
        self.session = aiohttp.ClientSession()
        await super().start(*args, **kwargs)

    async def close(self, *args, **kwargs):
        await super().close()
        await self.session.close()
