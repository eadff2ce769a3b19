"""Running a coroutine eagerly: up to its first suspension, in the caller, without a task.

Sending a websocket frame almost never waits (the server writes it to the socket buffer and
returns), so a fan-out that started a task per phone would pay a task switch per phone for
nothing. :func:`start` runs the send at once; only when it does wait (a phone whose socket is
full) does the caller get an awaitable that finishes it, to be awaited in a task of its own.
This is Python 3.12's eager task execution, for one coroutine, on 3.11.
"""

from __future__ import annotations

from collections.abc import Coroutine, Generator
from typing import Any


class _Rest:
    """The rest of a coroutine that was suspended on ``waiting_for``; awaiting it finishes it."""

    __slots__ = ("coro", "waiting_for")

    def __init__(self, coro: Coroutine[Any, Any, Any], waiting_for: Any) -> None:
        self.coro = coro
        self.waiting_for = waiting_for

    def __await__(self) -> Generator[Any, Any, Any]:
        suspended_on = self.waiting_for
        while True:
            try:
                value = yield suspended_on
            except BaseException as exc:  # e.g. cancellation: pass it to the coroutine
                try:
                    suspended_on = self.coro.throw(exc)
                except StopIteration as done:
                    return done.value
            else:
                try:
                    suspended_on = self.coro.send(value)
                except StopIteration as done:
                    return done.value


def start(coro: Coroutine[Any, Any, Any]) -> _Rest | None:
    """Run ``coro`` until it finishes (None) or suspends (the awaitable rest of it).

    Exceptions it raises before suspending propagate to the caller.
    """
    try:
        waiting_for = coro.send(None)
    except StopIteration:
        return None
    return _Rest(coro, waiting_for)
