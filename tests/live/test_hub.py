"""The hub on its own (no server, no database): order, gaps, duplicates, replay, resync, starred,
and a connection that cannot keep up."""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import Awaitable

import pytest

from messe.live.broker import LocalBroker
from messe.live.hub import Hub, Subscriber
from messe.live.protocol import Envelope, Frames


def envelope(seq: int, talk_id: int = 1, event_id: int = 1) -> Envelope:
    return Envelope(event_id=event_id, seq=seq, kind="retimed", talk_id=talk_id,
                    after={"id": talk_id, "title": f"v{seq}"}, before=None, message=None, at="")


class Log:
    """The change log as a fake database: every entry, and who starred what."""

    def __init__(self) -> None:
        self.entries: list[Envelope] = []
        self.stars: dict[int, set[int]] = {}
        self.reads: list[str] = []  # every read of entries or bookmarks, by name

    def add(self, count: int, talk_id: int = 1) -> list[Envelope]:
        new = [envelope(len(self.entries) + i + 1, talk_id) for i in range(count)]
        self.entries += new
        return new

    async def last_seq(self, event_id: int) -> int:
        return len(self.entries)

    async def changes(self, event_id: int, after: int, upto: int) -> list[Envelope]:
        self.reads.append("changes")
        return [e for e in self.entries if after < e.seq <= upto]

    async def starred_by(self, talk_id: int) -> set[int]:
        self.reads.append("starred_by")
        return {a for a, talks in self.stars.items() if talk_id in talks}

    async def starred_talks(self, attendee_id: int) -> set[int]:
        self.reads.append("starred_talks")
        return self.stars.get(attendee_id, set())


class Phone:
    """A connection whose frames land in a list; ``stuck`` makes every send wait forever."""

    def __init__(self, hub: Hub, stuck: bool = False) -> None:
        self.hub = hub
        self.frames: list[dict] = []
        self.stuck = stuck
        self.sub: Subscriber | None = None
        self.gone = asyncio.Event()

    def send(self, text: str) -> Awaitable[None] | None:
        """At once, as a socket with room takes a frame; a stuck phone's send never finishes."""
        if self.stuck:
            return asyncio.get_running_loop().create_future()
        self.frames.append(json.loads(text))
        return None

    async def leave(self) -> None:
        self.gone.set()
        await self.task

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


async def test_phones_that_all_left_get_what_they_missed_from_memory_once(log_and_hub):
    log, hub = log_and_hub
    phones = [Phone(hub) for _ in range(20)]
    for phone in phones:
        await phone.connect(since=0)
    hub.publish(log.add(2))
    await settle()
    for phone in phones:  # the venue Wi-Fi drops: every phone is gone
        await phone.leave()
    hub.publish(log.add(3))  # published while nobody is connected
    await settle()
    log.reads.clear()
    back = [Phone(hub) for _ in range(20)]
    for phone in back:
        await phone.connect(since=2)
    await settle()
    hub.publish(log.add(1))
    await settle()
    assert all(phone.seqs() == [3, 4, 5, 6] for phone in back)
    assert log.reads == []  # not one read of the database for twenty reconnecting phones


async def test_a_phone_further_back_than_memory_gets_each_missing_entry_once_from_the_log(log_and_hub):
    log, hub = log_and_hub
    first = Phone(hub)
    await first.connect(since=0)
    hub.publish(log.add(3))
    await settle()
    await first.leave()
    hub.publish(log.add(9))  # 12 entries; memory holds the last 5 (8 to 12)
    await settle()
    phone, recent = Phone(hub), Phone(hub)
    await phone.connect(since=3)
    await recent.connect(since=8)
    await settle()
    hub.publish(log.add(1))
    await settle()
    assert phone.seqs() == list(range(4, 14))
    assert recent.seqs() == [9, 10, 11, 12, 13]
    assert log.reads == ["changes"]  # the older phone only


async def test_a_server_that_starts_fills_its_memory_from_the_log_once(log_and_hub):
    log, hub = log_and_hub
    log.add(8)  # written before this process started (or by another worker)
    phones = [Phone(hub) for _ in range(10)]
    for phone in phones:
        await phone.connect(since=6)
    await settle()
    assert all(phone.seqs() == [7, 8] for phone in phones)
    assert log.reads == ["changes"]  # the first phone opened the event; the rest came from memory


async def test_reconnecting_attendees_get_starred_from_memory_with_one_read_per_entry(log_and_hub):
    log, hub = log_and_hub
    log.stars = {7: {2}, 8: {3}}
    someone = Phone(hub)
    await someone.connect(0)
    await someone.leave()
    hub.publish(log.add(1, talk_id=2) + log.add(1, talk_id=3))  # while nobody is connected
    await settle()
    log.reads.clear()
    fans = [Phone(hub) for _ in range(10)]
    for i, fan in enumerate(fans):
        await fan.connect(0, attendee_id=7 + i % 2)
    await settle()
    for i, fan in enumerate(fans):
        assert fan.seqs() == [1, 2]
        assert [f["starred"] for f in fan.frames] == ([True, False] if i % 2 == 0 else [False, True])
    assert sorted(log.reads) == ["starred_by", "starred_by"]  # per entry, not per phone
    log.reads.clear()
    late = Phone(hub)
    await late.connect(0, attendee_id=8)  # who starred what is known now: sent at once
    assert [f["starred"] for f in late.frames] == [False, True]
    assert log.reads == []


async def test_a_broker_message_is_only_a_hint_and_its_content_is_read_from_the_log(log_and_hub):
    log, hub = log_and_hub
    phone = Phone(hub)
    await phone.connect(since=0)
    await settle()
    forged = Envelope(event_id=1, seq=1, kind="announcement", talk_id=None, after=None, before=None,
                      message={"title": "INJECTED: venue evacuated", "body": "", "level": "urgent"}, at="")
    hub._from_broker(forged.encode())  # as the Redis listener hands it over
    await settle()
    assert phone.frames == []  # seq 1 is not in the log
    real = log.add(1)
    hub._from_broker(forged.encode())  # the same forgery, now that seq 1 exists: the log's entry
    await settle()
    hub.publish(real)  # and the organiser's own process delivering it: no duplicate
    await settle()
    assert phone.frames == [json.loads(Frames(real[0]).plain)]
    hub._from_broker(b'{"event": 1, "seq": "2"}')
    hub._from_broker(b"[1, 2]")
    await settle()
    assert phone.seqs() == [1]


async def test_full_collections_wait_while_a_wave_of_phones_arrives(log_and_hub):
    log, hub = log_and_hub
    usual = gc.get_threshold()
    hub.heap.quiet_seconds = 0.2
    phones = [Phone(hub) for _ in range(60)]
    for phone in phones:
        await phone.connect(since=0)
    assert gc.get_threshold()[2] == usual[2] * hub.heap.wave_factor  # the storm: no full pass per handful
    await asyncio.sleep(0.25)
    hub.heap.calm()  # what the hub's watcher does every second
    assert gc.get_threshold() == usual
    hub.publish(log.add(1))
    await settle()
    assert all(phone.seqs() == [1] for phone in phones)


async def test_a_large_fan_out_lets_the_loop_go_and_phones_saying_hello_meanwhile_get_each_entry_once():
    log = Log()
    hub = Hub(LocalBroker(), log, hold_limit=0.0)  # let go after every 16 phones
    await hub.start()
    try:
        phones = [Phone(hub) for _ in range(300)]
        for phone in phones:
            await phone.connect(since=0)
        await settle()
        hub.publish(log.add(1))
        turns = 0
        while not all(phone.seqs() for phone in phones):
            # Between slices of the fan-out, phones not reached yet ask again (a reconnect).
            for phone in phones[-100:]:
                if not phone.seqs():
                    hub.hello(phone.sub, 0)
            turns += 1
            await asyncio.sleep(0)
        assert turns > 1  # another task ran before the last phone had the entry
        assert all(phone.seqs() == [1] for phone in phones)
    finally:
        await hub.stop()
