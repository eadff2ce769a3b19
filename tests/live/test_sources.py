"""The live part reads the change log and the stars through messe.live.source; the programme and
people parts implement it. What a phone receives live is what it is replayed after a reconnect."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import httpx
import pytest

from messe.live.protocol import Frames
from messe.people.domain.bookmarks import LiveStars, star
from messe.people.models import Attendee
from messe.programme.domain.changelog import LiveChangeLog
from messe.programme.models import Talk
from tests.conftest import bearer

EVENT = "/messe13"


class Phone:
    def __init__(self) -> None:
        self.frames: list[str] = []

    def send(self, text: str) -> None:
        self.frames.append(text)  # sent at once, as a socket with room does

    async def wait_for(self, count: int) -> list[dict]:
        for _ in range(500):
            if len(self.frames) >= count:
                return [json.loads(f) for f in self.frames]
            await asyncio.sleep(0.01)
        raise AssertionError(f"{len(self.frames)} frames arrived, {count} expected: {self.frames}")


@pytest.fixture
async def hub(app, fair):
    hub = app.state.hub
    hub.channels.pop(fair.id, None)  # a channel of an earlier test's fair (ids are reused)
    yield hub
    hub.channels.pop(fair.id, None)


async def _join(hub, event_id: int, attendee_id: int | None, since: int) -> Phone:
    phone = Phone()
    sub = await hub.join(event_id, attendee_id, phone.send)
    hub.hello(sub, since)
    return phone


async def test_a_move_reaches_phones_live_as_the_same_frames_a_reconnect_replays(client, fair, hub,
                                                                                organiser_token):
    talk = await Talk.filter(event=fair, published__not_isnull=True).order_by("starts_at").first()
    fan, other = await Attendee.filter(event=fair).order_by("id").limit(2)
    assert await star(fan, talk.id)
    log = LiveChangeLog()
    since = await log.last_seq(fair.id)
    anonymous = await _join(hub, fair.id, None, since)
    starring = await _join(hub, fair.id, fan.id, since)
    not_starring = await _join(hub, fair.id, other.id, since)

    async with httpx.AsyncClient(transport=client._transport, base_url="http://testserver",
                                 headers=bearer(organiser_token)) as api:
        response = await api.patch(f"{EVENT}/api/talks/{talk.id}",
                                   json={"starts_at": (talk.starts_at + timedelta(minutes=5)).isoformat()})
    assert response.status_code == 200, response.text

    [live] = await anonymous.wait_for(1)
    assert (live["type"], live["seq"], live["talk"]["id"], live["starred"]) == ("change", since + 1, talk.id, False)
    assert [f["starred"] for f in await starring.wait_for(1)] == [True]
    assert [f["starred"] for f in await not_starring.wait_for(1)] == [False]

    # Read back from the database, as a phone further back than the hub's memory is replayed:
    assert await log.last_seq(fair.id) == since + 1
    [entry] = await log.changes(fair.id, since, since + 1)
    replayed = Frames(entry)
    # (equal as JSON: PostgreSQL's jsonb keeps an object's keys in an order of its own)
    assert json.loads(replayed.plain) == live == json.loads(not_starring.frames[0])
    assert json.loads(replayed.starred) == json.loads(starring.frames[0])


async def test_the_stars_are_read_for_the_talk_and_for_the_attendee(fair):
    first, second = await Talk.filter(event=fair, published__not_isnull=True).order_by("starts_at").limit(2)
    fan, other = await Attendee.filter(event=fair).order_by("id").limit(2)
    for attendee, talk in ((fan, first), (fan, second), (other, first)):
        assert await star(attendee, talk.id)
    stars = LiveStars()
    assert await stars.starred_by(first.id) >= {fan.id, other.id}
    assert fan.id in await stars.starred_by(second.id) and other.id not in await stars.starred_by(second.id)
    assert await stars.starred_talks(fan.id) >= {first.id, second.id}
    assert second.id not in await stars.starred_talks(other.id)
