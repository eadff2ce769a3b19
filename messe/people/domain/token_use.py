"""When each API token was last used: noted by the request, written down every half minute.

A scanner sends its token with every scan. Writing "last used" from the request itself (at most
once a minute per token, as before) made every token's write fall due in the same second at a
fair whose scanners all start together, and each such UPDATE takes the SQLite connection for
itself: under ``bench/soak.py --rate-factor 3``, a minute into the load, 280 of them in a row held
the connection 4-48 ms each and every scan and check-in waited behind them, up to 170 ms for the
connection alone. Here a request only notes the use (on the token it holds, so that the precision
check needs no query); :meth:`TokenUse.write_down` stores what was noted since the last time in
one statement, every ``interval`` seconds while the application runs and once as it stops. The
admin's token list is at most that far behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from messe.common.background import task_while
from messe.people.models import ApiToken

log = logging.getLogger("messe")

LAST_USED_PRECISION = timedelta(minutes=1)
WRITE_INTERVAL = 30.0  # seconds


class TokenUse:
    def __init__(self, precision: timedelta = LAST_USED_PRECISION) -> None:
        self.precision = precision
        self._noted: dict[int, ApiToken] = {}  # at most one per token: bounded by the tokens there are

    def note(self, token: ApiToken, now: datetime) -> None:
        """``token`` was used at ``now``; it is written down if what it says is older than the precision."""
        if token.last_used_at is None or now - token.last_used_at > self.precision:
            token.last_used_at = now
            self._noted[token.id] = token

    def forget(self) -> None:
        """Drop what was noted (for tests that empty the tables under it)."""
        self._noted.clear()

    async def write_down(self) -> None:
        """Store the uses noted since the last time, in one statement."""
        if not self._noted:
            return
        tokens, self._noted = list(self._noted.values()), {}
        try:
            await ApiToken.bulk_update(tokens, fields=["last_used_at"])
        except BaseException:
            for token in tokens:  # kept for the next time, unless a newer use was noted meanwhile
                self._noted.setdefault(token.id, token)
            raise

    @contextlib.asynccontextmanager
    async def running(self, interval: float = WRITE_INTERVAL) -> AsyncIterator[None]:
        async with task_while(self._every(interval), "token-use"):
            yield
        try:
            await self.write_down()
        except Exception:
            log.warning("Could not store when API tokens were last used", exc_info=True)

    async def _every(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.write_down()
            except Exception:  # the database is away: the uses wait for the next round
                log.warning("Could not store when API tokens were last used; trying again later", exc_info=True)


token_use = TokenUse()
