"""A cap on the live sockets one client address holds open in this process.

At the fair most phones share the venue Wi-Fi's NAT address, so the cap is generous
(``Settings.websockets_per_address``); it only stops one machine from holding thousands of
sockets. Beyond the cap the address's oldest socket is closed, not the new one: a phone that
reconnects always gets through, and what is closed is most likely a forgotten tab.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

Closer = Callable[[], Awaitable[None]]
CROWDED = 1008
CROWDED_REASON = "too many connections from this address"


class SocketsPerAddress:
    def __init__(self) -> None:
        # Per address, the open sockets' closers in the order they opened (dicts keep it).
        self._open: dict[str, dict[object, Closer]] = {}

    def count(self, address: str) -> int:
        return len(self._open.get(address, ()))

    @contextlib.asynccontextmanager
    async def admitted(self, address: str, limit: int, close: Closer) -> AsyncIterator[None]:
        """Hold one socket of ``address`` open for the block; ``close`` ends it if it becomes the
        oldest beyond ``limit``."""
        sockets = self._open.setdefault(address, {})
        key = object()
        sockets[key] = close
        while len(sockets) > limit:
            oldest = next(iter(sockets))
            await sockets.pop(oldest)()
        try:
            yield
        finally:
            sockets.pop(key, None)
            if not sockets and self._open.get(address) is sockets:
                del self._open[address]
