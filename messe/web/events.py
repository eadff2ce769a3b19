"""The events this process serves, held in memory so that a request resolves its event without a
database round trip.

Every request under ``/{event}`` needs its event; reading the row each time cost a trip through
the database driver's thread even for a 304. The directory keeps each event it has read and a
*revision* per slug: a number that changes whenever anything attendees see of that event may have
changed here. Caches of public answers (messe.web.public_cache) are valid for one revision.

What forgets a copy and bumps the revision:

* in this process, at once: saving or deleting an event, or a row of what attendees see of it
  (Tortoise's model signals; the composition root, messe.app, names those models to
  :func:`forget_when_changed`: the change log, stages, tracks, speakers, talks, exhibitors), and
  :meth:`EventDirectory.forget` (called when committed changes are published);
* in another process (several workers share one database): as soon as the live hub hears of the
  change-log entries it wrote (through the broker, ``Hub.entries_arrived``), and otherwise by
  :meth:`EventDirectory.refresh`, which re-reads every event row once a second and forgets each
  copy that differs. The database stays the source of truth; a copy is never more than a second
  behind it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import weakref
from typing import Any

from tortoise.models import Model
from tortoise.signals import post_delete, post_save

from messe.common.background import task_while
from messe.common.models import Event

REFRESH_SECONDS = 1.0

_next_revision = itertools.count(1)
_directories: weakref.WeakSet[EventDirectory] = weakref.WeakSet()
_watched: set[type[Model]] = set()


def _row(event: Event) -> tuple[Any, ...]:
    return tuple(getattr(event, name) for name in Event._meta.db_fields)


class EventDirectory:
    def __init__(self) -> None:
        self._events: dict[str, Event] = {}
        self._reading: dict[str, asyncio.Future[Event | None]] = {}
        self._revisions: dict[str, int] = {}
        self._forgets = 0
        _directories.add(self)

    async def get(self, slug: str) -> Event | None:
        """The event at ``slug``, read from the database only when this process has no copy.

        Once a change has made it forget the copy, every request arriving meanwhile needs the event:
        one of them reads it and the others wait for that read instead of each making their own."""
        event = self._events.get(slug)
        if event is not None:
            return event
        reading = self._reading.get(slug)
        if reading is not None:
            await asyncio.wait([reading])
            if not reading.cancelled():
                return reading.result()
        return await self._read(slug)

    async def _read(self, slug: str) -> Event | None:
        reading = self._reading[slug] = asyncio.get_running_loop().create_future()
        try:
            forgets = self._forgets
            event = await Event.get_or_none(slug=slug)
            # A copy read while a write was forgetting it may already be old: keep it only if
            # nothing was forgotten in the meantime.
            if event is not None and self._forgets == forgets:
                self._events[slug] = event
                self._revisions.setdefault(slug, next(_next_revision))
            reading.set_result(event)
            return event
        finally:
            if not reading.done():
                reading.cancel()  # those waiting read for themselves
            if self._reading.get(slug) is reading:
                del self._reading[slug]

    def revision(self, slug: str) -> int:
        """Changes whenever what attendees see of the event at ``slug`` may have changed."""
        return self._revisions.get(slug, 0)

    def forget(self, event_id: int) -> None:
        for slug, event in list(self._events.items()):
            if event.id == event_id:
                self._forget_slug(slug)
                return
        # An event not held here (or being read right now): every slug might be it.
        self._forgets += 1
        for slug in list(self._revisions):
            self._forget_slug(slug)

    def clear(self) -> None:
        for slug in list(self._revisions):
            self._forget_slug(slug)

    def _forget_slug(self, slug: str) -> None:
        self._forgets += 1
        self._events.pop(slug, None)
        self._reading.pop(slug, None)  # a read begun before this may be old: later requests read anew
        self._revisions[slug] = next(_next_revision)

    async def refresh(self) -> None:
        """Forget every copy that differs from its row (a write by another process)."""
        rows = {event.slug: event for event in await Event.filter(slug__in=list(self._events))}
        for slug, held in list(self._events.items()):
            current = rows.get(slug)
            if current is None or _row(current) != _row(held):
                self._forget_slug(slug)

    def kept_fresh(self) -> contextlib.AbstractAsyncContextManager[None]:
        """Refresh once a second for as long as the block runs (the app's lifespan)."""

        async def loop() -> None:
            while True:
                await asyncio.sleep(REFRESH_SECONDS)
                with contextlib.suppress(Exception):  # a database away for a moment: try again
                    await self.refresh()

        return task_while(loop(), "messe: events kept fresh")


def _forget_everywhere(event_id: int | None) -> None:
    if event_id is not None:
        for directory in list(_directories):
            directory.forget(event_id)


async def _event_saved(sender: type[Model], instance: Event, *args: Any) -> None:
    _forget_everywhere(instance.id)


async def _part_changed(sender: type[Model], instance: Model, *args: Any) -> None:
    _forget_everywhere(getattr(instance, "event_id", None))


def forget_when_changed(*models: type[Model]) -> None:
    """Saving or deleting a row of ``models`` (each with an ``event_id``) forgets its event's copy in
    every directory of this process. Naming a model again changes nothing."""
    for model in models:
        if model not in _watched:
            _watched.add(model)
            post_save(model)(_part_changed)
            post_delete(model)(_part_changed)


post_save(Event)(_event_saved)
post_delete(Event)(_event_saved)
