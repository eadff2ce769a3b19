"""Rows this process has read lately, so that a busy device's every request does not read the same
row again.

A scanner sends each of its scans with its bearer token, and every scan at a stand needs the
token's row and its exhibitor's. At three times the fair's scanning rate, reading those rows was a
tenth of the server's main thread (py-spy, bench/soak.py --rate-factor 3), for rows that hardly
ever change. A row read is kept for ``seconds``. Saving or deleting it in this process forgets it
at once (the next request reads what was saved; a copy of a save that a rollback then undid is
never kept); a change made by another worker process reaches this one within ``seconds``, when
the copy runs out and the row is read again.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Generic, TypeVar

from tortoise.models import Model
from tortoise.signals import post_delete, post_save

M = TypeVar("M", bound=Model)

_every: list[RecentlyRead[Any]] = []


def forget_everything() -> None:
    """Forget every row kept, in every cache (for tests that empty the tables under them)."""
    for cache in _every:
        cache.forget_all()


class RecentlyRead(Generic[M]):
    def __init__(self, model: type[M], key: Callable[[M], Hashable], *, seconds: float = 5.0,
                 most: int = 10_000) -> None:
        self.key, self.seconds, self.most = key, seconds, most
        self._kept: dict[Hashable, tuple[float, M]] = {}
        self._changes = 0  # a read that began before a change must not keep what it found
        post_save(model)(self._changed)
        post_delete(model)(self._changed)
        _every.append(self)

    def get(self, key: Hashable) -> M | None:
        held = self._kept.get(key)
        if held is None or held[0] < time.monotonic():
            return None
        return held[1]

    async def read(self, key: Hashable, read: Callable[[], Awaitable[M | None]]) -> M | None:
        """The copy kept under ``key``, or what ``read()`` finds (kept, if it finds a row)."""
        row = self.get(key)
        if row is None:
            changes = self._changes
            row = await read()
            if row is not None and changes == self._changes:
                if len(self._kept) >= self.most:
                    self._kept.clear()
                self._kept[key] = (time.monotonic() + self.seconds, row)
        return row

    def forget_all(self) -> None:
        self._kept.clear()

    async def _changed(self, sender: type[M], instance: M, *args: Any) -> None:
        self._changes += 1
        self._kept.pop(self.key(instance), None)
