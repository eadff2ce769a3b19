"""How processes tell each other about new change-log entries.

Every hub delivers its own process's changes itself; a broker only carries them to the *other*
processes. The in-process broker therefore has nothing to carry. Messages may arrive late, twice
or not at all: the hub orders them by ``seq``, drops duplicates and fills gaps from the database,
so a broker only affects how fast a change arrives, never whether it does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

OnMessage = Callable[[bytes], None]
OnState = Callable[[bool], None]


class Broker(Protocol):
    name: str

    @property
    def connected(self) -> bool:
        """False while messages from other processes cannot arrive; the hub then polls."""
        ...

    async def start(self, on_message: OnMessage, on_state: OnState) -> None: ...

    async def publish(self, payload: bytes) -> None:
        """Send to the other processes; never raises, a lost message is caught up later."""
        ...

    async def share_phones(self, counts: dict[int, int]) -> None:
        """Tell the other processes how many phones this one holds, per event; never raises."""
        ...

    async def phones_elsewhere(self) -> list[dict[int, int]]:
        """What each other live process last told of its phones, per event; [] when unknown."""
        ...

    async def stop(self) -> None: ...


class LocalBroker:
    """One process: the hub already has every change, there is nobody else to tell."""

    name = "local"
    connected = True

    async def start(self, on_message: OnMessage, on_state: OnState) -> None:
        return None

    async def publish(self, payload: bytes) -> None:
        return None

    async def share_phones(self, counts: dict[int, int]) -> None:
        return None

    async def phones_elsewhere(self) -> list[dict[int, int]]:
        return []

    async def stop(self) -> None:
        return None
