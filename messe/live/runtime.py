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
from messe.live.source import ChangeLog, Sources, Stars


def make_broker(settings: Settings) -> Broker:
    """Redis when configured, else in-process. Processes share a Redis channel exactly when they
    share a database, so two installations on one Redis never hear each other."""
    if settings.redis_url:
        # Imported here so that a process without Redis never loads the client library.
        from messe.live.redis_broker import RedisBroker

        installation = hashlib.sha256(settings.database_url.encode()).hexdigest()[:16]
        return RedisBroker(settings.redis_url, channel=f"messe:changes:{installation}")
    return LocalBroker()


@contextlib.asynccontextmanager
async def live_runtime(app: Any, settings: Settings, log: ChangeLog, stars: Stars) -> AsyncIterator[Hub]:
    """Run the hub (and its broker) for the life of ``app``; the hub is ``app.state.hub``. It reads
    the change log from ``log`` and who starred what from ``stars`` (messe.live.source).

    Enter it inside the database context of the lifespan: the hub reads the change log.
    """
    hub = Hub(make_broker(settings), Sources(log, stars))
    hub.entries_arrived = app.state.events.forget
    hub.requests_waiting = app.state.admitted.any
    await hub.start()
    app.state.hub = hub
    # Who else hears of published changes (e.g. messe.push); each is called with the rows and
    # must return at once.
    app.state.change_observers = []
    try:
        with listening(lambda rows: _publish(app, log, rows)):
            yield hub
    finally:
        await hub.stop()


def _publish(app: Any, log: ChangeLog, rows: list[Any]) -> None:
    """Hand committed change-log rows (messe.common.unit_of_work) to the live hub and the observers."""
    if rows:
        envelopes = [log.envelope(row) for row in rows]
        app.state.events.forget(envelopes[0].event_id)
        app.state.hub.publish(envelopes)
        for observer in app.state.change_observers:
            observer(rows)
