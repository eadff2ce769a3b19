"""A phone that keeps its live programme up to date across lost connections, as the attendee
app does: when the connection drops it waits a moment, reconnects (to whichever server process
answers) and says hello with the last ``seq`` it has, so the server sends what it missed."""

from __future__ import annotations

import asyncio
import contextlib

import websockets

from tests.live.conftest import Phone


class RoamingPhone(Phone):
    def __init__(self, url: str, pause: float = 0.3) -> None:
        super().__init__(url)
        self.pause = pause
        self.reconnects = 0
        self.online = asyncio.Event()  # cleared: the phone is out of reach (and does not reconnect)
        self.online.set()
        self._since = 0
        self._stopping = False
        self._roaming: asyncio.Task[None] | None = None

    def last_seq(self) -> int:
        return max(self.seqs(), default=self._since)

    async def roam(self, since: int) -> RoamingPhone:
        """Connect, and from now on reconnect whenever the connection drops, until ``stop``."""
        self._since = since
        await self.connect(since)
        self._roaming = asyncio.create_task(self._stay_connected())
        return self

    async def _stay_connected(self) -> None:
        while True:
            await self._reader  # returns when the connection closes
            if self._stopping:
                return
            self.reconnects += 1
            while not self._stopping:
                await asyncio.sleep(self.pause)
                await self.online.wait()
                with contextlib.suppress(OSError, websockets.InvalidHandshake, websockets.ConnectionClosed):
                    await self.connect(self.last_seq())
                    break

    async def stop(self) -> None:
        self._stopping = True
        self.online.set()
        await self.ws.close()
        assert self._roaming is not None
        await self._roaming
