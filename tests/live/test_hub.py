"""The hub on its own (no server, no database): order, gaps, duplicates, replay, resync, starred,
and a connection that cannot keep up."""

from __future__ import annotations

import asyncio
import json

import pytest

from messe.live.broker import LocalBroker
from messe.live.hub import Hub, Subscriber
from messe.live.protocol import Envelope


def envelope(seq: int, talk_id: int = 1, event_id: int = 1) -> Envelope:
    return Envelope(event_id=event_id, seq=seq, kind="retimed", talk_id=talk_id,
                    after={"id": talk_id, "title": f"v{seq}"}, before=None, message=None, at="")


class Log:
    """The change log as a fake database: every entry, and who starred what."""

    def __init__(self) -> None:
        self.entries: list[Envelope] = []
        self.stars: dict[int, set[int]] = {}

    def add(self, count: int, talk_id: int = 1) -> list[Envelope]:
        new = [envelope(len(self.entries) + i + 1, talk_id) for i in range(count)]
        self.entries += new
        return new

    async def last_seq(self, event_id: int) -> int:
        return len(self.entries)

    async def changes(self, event_id: int, after: int, upto: int) -> list[Envelope]:
        return [e for e in self.entries if after < e.seq <= upto]

    async def starred_by(self, talk_id: int) -> set[int]:
        return {a for a, talks in self.stars.items() if talk_id in talks}

    async def starred_talks(self, attendee_id: int) -> set[int]:
        return self.stars.get(attendee_id, set())


class Phone:
    """A connection whose frames land in a list; ``stuck`` makes every send wait forever."""

    def __init__(self, hub: Hub, stuck: bool = False) -> None:
        self.hub = hub
        self.frames: list[dict] = []
        self.stuck = stuck
        self.sub: Subscriber | None = None
        self.gone = asyncio.Event()

    async def send(self, text: str) -> None:
        if self.stuck:
            await asyncio.Future()
        self.frames.append(json.loads(text))

    async def connect(self, since: int, attendee_id: int | None = None) -> None:
        self.sub = await self.hub.join(1, attendee_id, self.send)
        self.task = asyncio.create_task(self.hub.run(self.sub, self.gone.wait))
        self.hub.hello(self.sub, since)

    def seqs(self) -> list[int]:
        return [f["seq"] for f in self.frames if f["type"] in ("change", "announcement")]


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


@pytest.fixture
async def log_and_hub():
    log = Log()
    hub = Hub(LocalBroker(), log, queue_limit=8, replay_window=50, recent_size=5)
    await hub.start()
    yield log, hub
    await hub.stop()


async def test_entries_arrive_in_order_with_gaps_filled_and_duplicates_dropped(log_and_hub):
    log, hub = log_and_hub
    phone = Phone(hub)
    await phone.connect(since=0)
    await settle()
    one, two, three = log.add(3)
    hub.publish([one, three])  # two was committed, but its broker message is late
    hub.publish([one, two])
    await settle()
    assert phone.seqs() == [1, 2, 3]


async def test_replay_from_memory_and_from_the_database_then_live(log_and_hub):
    log, hub = log_and_hub
    early = Phone(hub)
    await early.connect(since=0)
    await settle()
    hub.publish(log.add(12))
    await settle()
    recent, old = Phone(hub), Phone(hub)
    await recent.connect(since=9)  # the last five are in memory
    await old.connect(since=2)  # further back: from the log
    await settle()
    hub.publish(log.add(1))
    await settle()
    assert early.seqs() == list(range(1, 14))
    assert recent.seqs() == [10, 11, 12, 13]
    assert old.seqs() == list(range(3, 14))


async def test_resync_when_since_is_outside_the_log(log_and_hub):
    log, hub = log_and_hub
    log.add(60)
    behind, ahead = Phone(hub), Phone(hub)
    await behind.connect(since=3)  # 57 behind, the window is 50
    await ahead.connect(since=99)  # a log this server never wrote
    await settle()
    assert behind.frames == [{"type": "resync", "seq": 60}]
    assert ahead.frames == [{"type": "resync", "seq": 60}]
    hub.publish(log.add(1))
    await settle()
    assert behind.seqs() == ahead.seqs() == [61]


async def test_starred_is_per_attendee(log_and_hub):
    log, hub = log_and_hub
    log.stars = {7: {2}}
    fan, other, anonymous = Phone(hub), Phone(hub), Phone(hub)
    await fan.connect(0, attendee_id=7)
    await other.connect(0, attendee_id=8)
    await anonymous.connect(0)
    await settle()
    hub.publish(log.add(1, talk_id=2) + log.add(1, talk_id=3))
    await settle()
    assert [f["starred"] for f in fan.frames] == [True, False]
    assert [f["starred"] for f in other.frames] == [False, False]
    assert [f["starred"] for f in anonymous.frames] == [False, False]


async def test_a_stuck_connection_overflows_without_delaying_the_others(log_and_hub):
    log, hub = log_and_hub
    stuck, fine = Phone(hub, stuck=True), Phone(hub)
    await stuck.connect(0)
    await fine.connect(0)
    await settle()
    for _ in range(12):  # more than the queue holds
        hub.publish(log.add(1))
        await settle()
        assert fine.seqs()[-1] == len(log.entries)  # delivered at once, every time
    await asyncio.wait_for(stuck.task, 1)  # its reader was ended, so the server closes it
    assert stuck.sub.dropped and stuck.sub not in hub.channels[1].subscribers
    assert fine.seqs() == list(range(1, 13))


async def test_ping_and_hello_again_after_a_gap(log_and_hub):
    log, hub = log_and_hub
    hub.publish(log.add(3))
    phone = Phone(hub)
    await phone.connect(since=3)
    await settle()
    hub.ping(phone.sub)
    hub.hello(phone.sub, 1)  # the phone lost 2 and 3 and asks again
    await settle()
    assert phone.frames[0] == {"type": "pong"}
    assert phone.seqs() == [2, 3]


async def test_a_failed_replay_drops_the_connection_so_the_phone_reconnects(log_and_hub):
    log, hub = log_and_hub
    log.add(3)

    async def database_down(*args: object) -> list[Envelope]:
        raise ConnectionError("database down")

    log.changes = database_down
    phone = Phone(hub)
    await phone.connect(since=0)
    await asyncio.wait_for(phone.task, 1)
    assert phone.sub.dropped and phone.frames == []
