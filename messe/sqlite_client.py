"""Tortoise's SQLite client, with statements outside a transaction sent without waiting in turn.

Tortoise guards its one SQLite connection with an asyncio lock, so every statement waits for
the one before it to hand the lock over. A handover takes turns of the event loop (the finished
statement's task must run to release the lock, then the next waiter must run to send its own),
and under load a turn lasts milliseconds: after a programme change, while the fan-out to 2,000
phones and the new version's rendering share the loop, the statements of twenty waiting scans
took 100 ms and more to pass one by one (``bench/soak.py``; the statements themselves take
microseconds).

aiosqlite already runs statements one at a time, in order, on its own thread. A statement that
is complete in itself (a SELECT, an INSERT whose row id comes back in the same call) needs no
lock: here any number of them go to the thread at once (``Turnstile.enter_shared``). A
transaction takes the connection for itself and holds back new statements until it has ended;
its BEGIN queues on the thread behind the statements already sent (``_ForTransactions``). A
single statement whose answer is a row count (UPDATE, DELETE), a script or an ``executemany``
also takes it for itself, after the statements already sent have answered, as before.

Measured with ``bench/soak.py`` on one process, the same day, before and after: at the fair's
load scan and check-in p99 109/66 and 59/35 ms before, 48/28 ms after; at three times the load
scan p99 312 ms before, 114 ms after, with check-in p99 182 and 123 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Sequence
from typing import Any

import aiosqlite
from tortoise.backends.base.client import TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
    translate_exceptions,
)

_SELECT = re.compile(r"\s*SELECT\b", re.IGNORECASE)


class Turnstile:
    """Many holders of the shared side at once, or one of the exclusive side.

    The exclusive side has the part of ``asyncio.Lock``'s interface that Tortoise uses (its transaction context and its
    connection wrapper call ``acquire`` and ``release``). While an exclusive holder has it, new
    shared holders wait; when it lets go, they go in together before the next exclusive holder,
    so neither side starves the other.
    """

    def __init__(self) -> None:
        self._exclusive = asyncio.Lock()
        self._open = asyncio.Event()  # set while no exclusive holder has the turnstile
        self._open.set()
        self._drained = asyncio.Event()  # set while no shared holder is inside
        self._drained.set()
        self._shared = 0

    async def enter_shared(self) -> None:
        while not self._open.is_set():
            await self._open.wait()
        self._shared += 1
        self._drained.clear()

    def leave_shared(self) -> None:
        self._shared -= 1
        if self._shared == 0:
            self._drained.set()

    async def acquire(self, drain: bool = True) -> bool:
        await self._exclusive.acquire()
        self._open.clear()
        if drain:
            try:
                await self._drained.wait()
            except BaseException:
                self.release()
                raise
        return True

    def release(self) -> None:
        self._open.set()
        self._exclusive.release()


class _ForTransactions:
    """The exclusive side for a transaction, without waiting for the statements already sent.

    Each of them was put on the database thread's queue in the step that let it in (nothing
    between ``enter_shared`` and aiosqlite's ``put_nowait`` gives the loop away), and the thread
    runs its queue in order: the transaction's BEGIN runs after them, and sees what they wrote.
    Waiting for their answers instead would cost the transaction a turn of the loop in which
    every one of them goes on with its request, and under three times the fair's load that
    starved transactions (bench/soak.py --rate-factor 3: check-in p99 1.1 s). A single statement
    whose row count matters still waits (``Turnstile.acquire``): the count is read before and
    after it, and a statement still on its way would be counted too.
    """

    def __init__(self, turnstile: Turnstile) -> None:
        self.turnstile = turnstile

    async def acquire(self) -> bool:
        return await self.turnstile.acquire(drain=False)

    def release(self) -> None:
        self.turnstile.release()


class PipelinedSqliteClient(SqliteClient):
    def __init__(self, file_path: str, **kwargs: Any) -> None:
        super().__init__(file_path, **kwargs)
        self._lock = Turnstile()  # type: ignore[assignment]  # the exclusive side is a Lock's
        self._for_transactions = _ForTransactions(self._lock)

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(SqliteTransactionWrapper(self), self._for_transactions)

    @contextlib.asynccontextmanager
    async def _pipelined(self) -> AsyncIterator[aiosqlite.Connection]:
        if self._connection is None:
            async with self.acquire_connection():  # opens it, once, exclusively
                pass
        await self._lock.enter_shared()  # type: ignore[attr-defined]
        try:
            assert self._connection is not None
            yield self._connection
        finally:
            self._lock.leave_shared()  # type: ignore[attr-defined]

    @translate_exceptions
    async def execute_insert(self, query: str, values: list) -> int:
        async with self._pipelined() as connection:
            self.log.debug("%s: %s", query, values)
            return (await connection.execute_insert(query, values))[0]

    @translate_exceptions
    async def execute_query(self, query: str, values: list | None = None) -> tuple[int, Sequence[dict]]:
        if not _SELECT.match(query):
            return await super().execute_query(query, values)  # its row count: exclusively
        query = query.replace("\x00", "'||CHAR(0)||'")
        async with self._pipelined() as connection:
            self.log.debug("%s: %s", query, values)
            rows = await connection.execute_fetchall(query, values)
            return len(rows), rows  # type: ignore[return-value]

    @translate_exceptions
    async def execute_query_dict(self, query: str, values: list | None = None) -> list[dict]:
        if not _SELECT.match(query):
            return await super().execute_query_dict(query, values)
        query = query.replace("\x00", "'||CHAR(0)||'")
        async with self._pipelined() as connection:
            self.log.debug("%s: %s", query, values)
            return list(map(dict, await connection.execute_fetchall(query, values)))


client_class = PipelinedSqliteClient
