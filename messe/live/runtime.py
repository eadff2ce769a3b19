"""Starting and stopping the live machinery with the application."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator
from typing import Any

from messe.common.unit_of_work import listening
from messe.config import Settings
from messe.live.broker import Broker, LocalBroker
from messe.live.hub import Hub
from messe.live.store import DatabaseSource, envelope_of
from messe.programme.models import ScheduleChange


def make_broker(settings: Settings) -> Broker:
    """Redis when configured, else in-process. Processes share a Redis channel exactly when they
    share a database, so two installations on one Redis never hear each other."""
    if settings.redis_url:
        from messe.live.redis_broker import RedisBroker

        installation = hashlib.sha256(settings.database_url.encode()).hexdigest()[:16]
        return RedisBroker(settings.redis_url, channel=f"messe:changes:{installation}")
    return LocalBroker()


@contextlib.asynccontextmanager
async def live_runtime(app: Any, settings: Settings) -> AsyncIterator[Hub]:
    """Run the hub (and its broker) for the life of ``app``; the hub is ``app.state.hub``.

    Enter it inside the database context of the lifespan: the hub reads the change log.
    """
    hub = Hub(make_broker(settings), DatabaseSource())
    hub.entries_arrived = app.state.events.forget
    await hub.start()
    app.state.hub = hub
    # Who else hears of published changes (e.g. messe.push); each is called with the rows and
    # must return at once.
    app.state.change_observers = []
    try:
        with listening(lambda changes: _publish(app, changes)):
            yield hub
    finally:
        await hub.stop()


def _publish(app: Any, changes: list[ScheduleChange]) -> None:
    """Hand committed change-log rows (messe.common.unit_of_work) to the live hub and the observers."""
    if changes:
        app.state.events.forget(changes[0].event_id)
        app.state.hub.publish([envelope_of(c) for c in changes])
        for observer in app.state.change_observers:
            observer(changes)
