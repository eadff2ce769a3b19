"""The events held in memory: after a change, the requests that arrive together read the event
once between them, and none of those arriving after a change gets a copy read before it."""

from __future__ import annotations

import asyncio

from messe.common.models import Event
from messe.web.events import EventDirectory


async def test_requests_arriving_together_read_the_event_once(fair, monkeypatch):
    directory = EventDirectory()
    reads = 0
    real = Event.get_or_none

    def counted(*args, **kwargs):
        nonlocal reads
        reads += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(Event, "get_or_none", counted)
    found = await asyncio.gather(*(directory.get(fair.slug) for _ in range(20)))
    assert {event.id for event in found} == {fair.id} and reads == 1
    directory.forget(fair.id)
    await asyncio.gather(*(directory.get(fair.slug) for _ in range(20)))
    assert reads == 2
    assert await directory.get("ingen-messe") is None


async def test_a_request_after_a_change_never_gets_a_copy_read_before_it(fair):
    directory = EventDirectory()
    early = asyncio.create_task(directory.get(fair.slug))
    await asyncio.sleep(0)  # its read is under way
    await Event.filter(id=fair.id).update(name="Digitaliseringsmessen – flyttet")
    directory.forget(fair.id)
    late = await directory.get(fair.slug)
    assert late.name == "Digitaliseringsmessen – flyttet"
    await early
    assert (await directory.get(fair.slug)).name == "Digitaliseringsmessen – flyttet"
