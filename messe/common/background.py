"""Work handed off the request path: a bounded queue and one task per process that does it.

The caller's ``ask`` returns at once; when a flood fills the queue, further work is dropped (and
logged) rather than held in memory without bound. ``drained`` waits until everything asked so far
is done, which tests and an orderly shutdown need.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, TypeVar

log = logging.getLogger("messe")

Job = TypeVar("Job")


@contextlib.asynccontextmanager
async def task_while(work: Awaitable[None], name: str) -> AsyncIterator[None]:
    """``work`` runs as a task for as long as the block runs (an app's lifespan), then is cancelled."""
    task = asyncio.ensure_future(work)
    task.set_name(name)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


class Background(Generic[Job]):
    def __init__(self, name: str, handle: Callable[[Job], Awaitable[None]], room: int = 1000) -> None:
        self.name = name
        self._handle = handle
        self._queue: asyncio.Queue[Job] = asyncio.Queue(room)

    def ask(self, job: Job) -> None:
        try:
            self._queue.put_nowait(job)
        except asyncio.QueueFull:
            log.warning("%s: queue full; a job was dropped", self.name)

    async def drained(self) -> None:
        """Returns once every job asked so far has been handled."""
        await self._queue.join()

    def running(self) -> contextlib.AbstractAsyncContextManager[None]:
        return task_while(self._work(), self.name)

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                await self._handle(job)
            except Exception:
                log.exception("%s: a job failed", self.name)
            finally:
                self._queue.task_done()
