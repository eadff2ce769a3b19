"""One unit of work per write: its transaction, and what it tells others once it has committed.

Every use case that appends to the change log runs inside :func:`unit_of_work`. The change log
adds its new rows to :func:`published_after_commit`; when the outermost unit of work commits, the
rows go to every listener (the live hub, Web Push), in order, exactly once. A unit that fails
publishes nothing, so a phone never hears of a change that was rolled back, and no handler has to
remember to publish: a change made from the API, an admin form, an import or the CLI reaches the
phones by the same path.

Invariants:

* rows are published only after the transaction that wrote them has committed;
* a unit inside another (a use case calling another) publishes with the outer one;
* a listener that raises does not keep the others from hearing (it is logged).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextvars import ContextVar
from typing import Any

from tortoise.transactions import in_transaction

Listener = Callable[[list[Any]], None]

_pending: ContextVar[list[Any] | None] = ContextVar("messe_unit_of_work", default=None)
_listeners: list[Listener] = []
log = logging.getLogger(__name__)


class NoUnitOfWork(RuntimeError):
    """A change-log row was written outside a unit of work: nobody would ever hear of it."""


@contextlib.asynccontextmanager
async def unit_of_work() -> AsyncIterator[None]:
    outer = _pending.get()
    if outer is not None:
        async with in_transaction():
            yield
        return
    pending: list[Any] = []
    token = _pending.set(pending)
    try:
        async with in_transaction():
            yield
    finally:
        _pending.reset(token)
    if pending:
        for listener in list(_listeners):
            try:
                listener(pending)
            except Exception:
                log.exception("a listener of committed changes failed")


@contextlib.asynccontextmanager
async def on_its_own() -> AsyncIterator[None]:
    """For a write a unique key may refuse, without spoiling the unit of work around it: inside one,
    a savepoint (on PostgreSQL an error aborts the whole transaction otherwise); outside, the
    statement is its own transaction and needs nothing more."""
    if _pending.get() is None:
        yield
        return
    async with in_transaction():
        yield


def published_after_commit() -> list[Any]:
    """The list whose rows the current unit of work hands to the listeners once it has committed;
    ask for it before writing, so a write outside a unit of work is refused before it is made."""
    pending = _pending.get()
    if pending is None:
        raise NoUnitOfWork("change-log rows written outside unit_of_work()")
    return pending


@contextlib.contextmanager
def listening(listener: Listener) -> Any:
    """``listener`` hears every committed unit's rows while the block runs (an app's lifespan)."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)
