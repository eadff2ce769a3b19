"""The hub: fans change-log entries out to this process's websocket connections.

Guarantees (DESIGN.md, "The change log"):

* Every connection receives each ``seq`` after its ``since`` once, in order. Live entries pass
  through one consumer task, which drops what it has already delivered and fills gaps from the
  database before delivering anything newer. (Entries are committed in ``seq`` order, because
  allocating a ``seq`` locks the event row until commit, so a gap below a delivered ``seq`` is
  always in the database already.)
* A connection first replays what it missed, then goes live, in a task of its own; live
  entries are not sent to it until the replay has caught up, so none is skipped or sent twice.
* A fan-out never holds the event loop for long: every ``hold_limit`` seconds of sending it lets
  the loop serve others, for ``pause`` seconds while HTTP requests are being worked on (a scan at
  the door should not wait for 2,000 phones to be written to).
  It sends to the connections that were there when it began; one that said ``hello`` meanwhile
  was replayed up to this entry already (its ``cursor`` says so), and is skipped.
* A slow connection never delays the others. Fan-out sends each frame at once (a ``Send``
  returns None when it did; see ``eager``); only a connection whose socket is full gets a task
  that waits for it, and its later frames queue behind, bounded (``queue_limit`` frames or
  ``queue_size_limit`` characters). Overflow ends that connection; the phone resumes from its
  last ``seq`` when it reconnects.
* A broker is an accelerator: while it is disconnected the hub polls the database every
  ``poll_interval`` seconds, and checks every ``check_interval`` seconds even when it is not.
* A broker message is only a hint that an entry exists (``protocol.Hint``): what phones receive
  comes from the database, or from this process's own commit. A forged message reaches no phone,
  and it cannot take the ``seq`` of the real entry.
* Reconnecting phones are served from memory: each event keeps a ring of its last
  ``recent_size`` entries, rendered, filled from the database when the event's first phone
  arrives and then by every delivery. The ring outlives its phones (the morning Wi-Fi drop
  closes every connection at once), so a phone that says ``hello`` with a ``seq`` the ring
  reaches back to costs no database query; its replay is sent at once, without a task, when it
  needs nothing from the database (an attendee's ``starred`` is read once per entry, not once
  per phone, and kept for ``stars_ttl`` seconds). Only an older ``seq`` reads the database.

Each entry is rendered into its frames once per process (see ``protocol.Frames``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from messe.live.broker import Broker
from messe.live.heap import HeapKeeper
from messe.live.protocol import PONG, Envelope, Frames, Hint, resync
from messe.live.source import ChangeSource

log = logging.getLogger("messe.live")

# Sends one frame: None when it went out at once, else the rest of the send, to be awaited.
Send = Callable[[str], Awaitable[None] | None]
NOBODY: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class _Sync:
    """Inbox item: compare a channel with the database and deliver what it is missing."""

    event_id: int


async def _sent(sub: Subscriber, text: str) -> None:
    """Send, waiting for the socket if it has to."""
    rest = sub.send(text)
    if rest is not None:
        await rest


class Subscriber:
    """One websocket connection: a cursor into the change log and a bounded send queue.

    Frames are sent eagerly (messe.live.eager); only while a send waits, or while the connection
    replays, does a ``flusher`` task exist, and frames queue behind it in ``pending``.
    """

    __slots__ = ("attendee_id", "channel", "closed", "cursor", "dropped", "flusher", "live", "pending",
                 "pending_size", "pong", "reader", "rewind", "send")

    def __init__(self, channel: Channel, attendee_id: int | None, send: Send) -> None:
        self.channel = channel
        self.attendee_id = attendee_id
        self.send = send
        self.cursor = 0
        self.live = False
        self.rewind: int | None = None
        self.pong = False
        self.pending: deque[str] | None = None  # made when first needed: most connections never queue
        self.pending_size = 0  # characters in ``pending``
        self.flusher: asyncio.Task[None] | None = None
        self.reader: asyncio.Task | None = None
        self.closed = False
        self.dropped = False  # ended by the hub (overflow, failure), not by the client


class Channel:
    """The connections of one event in this process, and the recent entries they may ask for.

    ``recent`` holds consecutive entries ending at ``last_seq`` (or nothing). A channel stays when
    its last connection leaves, so that the entries published while every phone is away are in
    memory when they come back.
    """

    __slots__ = ("attendees", "event_id", "last_seq", "recent", "subscribers")

    def __init__(self, event_id: int, last_seq: int) -> None:
        self.event_id = event_id
        self.last_seq = last_seq
        self.recent: deque[Frames] = deque()
        self.subscribers: set[Subscriber] = set()
        self.attendees = 0

    def recent_after(self, seq: int) -> list[Frames] | None:
        """Entries after ``seq`` from memory, or None when memory does not reach back that far."""
        if not self.recent or self.recent[0].seq > seq + 1:
            return None
        start = seq + 1 - self.recent[0].seq
        return [self.recent[i] for i in range(start, len(self.recent))]


class Hub:
    def __init__(self, broker: Broker, source: ChangeSource, *, queue_limit: int = 256,
                 queue_size_limit: int = 1 << 20, replay_window: int = 500, recent_size: int = 512,
                 poll_interval: float = 1.0, check_interval: float = 15.0, report_interval: float = 5.0,
                 stars_ttl: float = 10.0, hold_limit: float = 0.001, pause: float = 0.0005) -> None:
        self.broker = broker
        self.source = source
        # Told the event id whenever entries written elsewhere (another worker) arrive, so that
        # what this process holds of that event (messe.web.events) is read again at once.
        self.entries_arrived: Callable[[int], None] = lambda event_id: None
        # Whether HTTP requests are being worked on (messe.web.admission): a fan-out lets them go first.
        self.requests_waiting: Callable[[], bool] = lambda: False
        self.queue_limit = queue_limit
        self.queue_size_limit = queue_size_limit
        self.replay_window = replay_window
        self.recent_size = recent_size
        self.poll_interval = poll_interval
        self.check_interval = check_interval
        self.report_interval = report_interval
        self.stars_ttl = stars_ttl
        self.hold_limit = hold_limit
        self.pause = pause
        self.channels: dict[int, Channel] = {}
        self._open_lock = asyncio.Lock()
        self._inbox: asyncio.Queue[Envelope | Hint | _Sync] = asyncio.Queue()
        self._stars_reading: dict[Frames, asyncio.Future[set[int] | frozenset[int]]] = {}
        self._outbox: asyncio.Queue[bytes] = asyncio.Queue()
        self._broker_changed = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.heap = HeapKeeper()

    # Life cycle

    async def start(self) -> None:
        self.heap.watch_collections()
        self._tasks = [
            asyncio.create_task(self._consume(), name="messe-hub-consume"),
            asyncio.create_task(self._forward(), name="messe-hub-forward"),
            asyncio.create_task(self._watch(), name="messe-hub-watch"),
            asyncio.create_task(self._report_phones(), name="messe-hub-report"),
        ]
        await self.broker.start(self._from_broker, self._broker_state)

    async def stop(self) -> None:
        self.heap.restore()
        self.heap.unwatch_collections()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.broker.stop()  # after the report task: its phones are forgotten, not re-reported
        for channel in self.channels.values():
            for sub in channel.subscribers:
                sub.closed = True
                if sub.flusher is not None:
                    sub.flusher.cancel()

    # Input: this process's own changes, and the broker's

    def publish(self, envelopes: list[Envelope]) -> None:
        """Announce committed change-log entries to the other processes (via the broker) and to
        this one. The broker goes first: this process's fan-out holds the loop for a while, and
        the other processes should not wait for it."""
        for envelope in envelopes:
            self._outbox.put_nowait(Hint(envelope.event_id, envelope.seq).encode())
        for envelope in envelopes:
            self._inbox.put_nowait(envelope)

    def _from_broker(self, payload: bytes) -> None:
        """Another process says an entry exists; its content is read from the database."""
        try:
            hint = Hint.decode(payload)
        except (ValueError, TypeError, RecursionError):
            log.warning("Live updates: ignored a malformed broker message")
            return
        self._inbox.put_nowait(hint)

    def _broker_state(self, connected: bool) -> None:
        if connected:
            # Whatever was published while the subscription was down is in the database.
            for event_id in list(self.channels):
                self._inbox.put_nowait(_Sync(event_id))
        self._broker_changed.set()

    async def _forward(self) -> None:
        while True:
            payload = await self._outbox.get()
            await self.broker.publish(payload)

    async def _watch(self) -> None:
        """Once a second: poll the database if the broker is down (else every ``check_interval``),
        and settle the heap when a wave of connections has arrived and all is quiet."""
        last_check = time.monotonic()
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._broker_changed.wait(), self.poll_interval)
            changed = self._broker_changed.is_set()
            self._broker_changed.clear()
            now = time.monotonic()
            if changed or not self.broker.connected or now - last_check >= self.check_interval:
                last_check = now
                for event_id in list(self.channels):
                    self._inbox.put_nowait(_Sync(event_id))
            if self.heap.due(sum(len(c.subscribers) for c in self.channels.values())):
                self.heap.settle()
            self.heap.keep_survivors()
            self.heap.calm()

    async def _report_phones(self) -> None:
        """Tell the other processes how many phones this one holds (for the organisers' totals)."""
        while True:
            await self.broker.share_phones({event_id: len(c.subscribers) for event_id, c in self.channels.items()})
            await asyncio.sleep(self.report_interval)

    async def _consume(self) -> None:
        while True:
            item = await self._inbox.get()
            try:
                if isinstance(item, _Sync):
                    await self._sync(item.event_id)
                elif isinstance(item, Hint):
                    await self._hinted(item)
                else:
                    await self._accept(item)
            except Exception:
                # A database hiccup while filling a gap: the next check fills it.
                log.exception("Live updates: could not deliver %r", item)

    async def _accept(self, envelope: Envelope) -> None:
        channel = self.channels.get(envelope.event_id)
        if channel is None or envelope.seq <= channel.last_seq:
            return
        if envelope.seq > channel.last_seq + 1:
            await self._catch_up(channel, envelope.seq - 1)
            if channel.last_seq != envelope.seq - 1:
                log.warning("Live updates: entries before seq %d are not in the database yet", envelope.seq)
                return
        await self._deliver(channel, envelope)

    async def _hinted(self, hint: Hint) -> None:
        channel = self.channels.get(hint.event_id)
        if channel is None or hint.seq <= channel.last_seq:
            return  # delivered already (it was ours, or an earlier hint's read found it)
        await self._catch_up(channel, hint.seq)
        if channel.last_seq < hint.seq:
            log.warning("Live updates: the broker told of seq %d of event %d, which the change log does not hold;"
                        " ignored", hint.seq, hint.event_id)

    async def _sync(self, event_id: int) -> None:
        channel = self.channels.get(event_id)
        if channel is not None:
            await self._catch_up(channel, await self.source.last_seq(event_id))

    async def _catch_up(self, channel: Channel, upto: int) -> None:
        while channel.last_seq < upto:
            start = channel.last_seq
            batch = await self.source.changes(channel.event_id, start, min(upto, start + self.replay_window))
            for envelope in batch:
                if envelope.seq == channel.last_seq + 1:
                    await self._deliver(channel, envelope)
            if channel.last_seq == start:
                return  # not in the database (yet): the next check tries again
            self.entries_arrived(channel.event_id)

    async def _deliver(self, channel: Channel, envelope: Envelope) -> None:
        frames = Frames(envelope)
        starred: set[int] | frozenset[int] = NOBODY
        if channel.attendees and envelope.talk_id is not None:
            starred = await self.source.starred_by(envelope.talk_id)
            frames.stars, frames.stars_at = starred, time.monotonic()
        channel.last_seq = envelope.seq
        self.heap.note_delivery()
        channel.recent.append(frames)
        if len(channel.recent) > self.recent_size:
            channel.recent.popleft()
        plain = frames.plain
        held_since = time.perf_counter()
        for count, sub in enumerate(list(channel.subscribers), 1):
            # ``cursor``: a phone that said hello while the loop was let go has this entry already.
            if sub.live and not sub.closed and sub.cursor < frames.seq:
                sub.cursor = frames.seq
                self._send(sub, frames.starred if starred and sub.attendee_id in starred else plain)
            if count % 16 == 0 and time.perf_counter() - held_since > self.hold_limit:
                await self._let_requests_in()
                held_since = time.perf_counter()

    async def _let_requests_in(self) -> None:
        """A pause in a fan-out while HTTP requests are being worked on, so that each can take its
        next step (a request needs two turns of the loop per database answer: the answer, then its
        task); with nothing else to do, the fan-out does not wait at all.

        uvloop, the loop uvicorn runs on here, rounds a sleep below 1 ms down to none
        (``asyncio.sleep(0.0005)`` returns after 4 µs, 0.001 after 1.1 ms; measured 2026-12-07),
        so under uvicorn the default ``pause`` is a bare turn between chunks, and the gain
        bench/soak.py showed for this change (scan p99 32.5 -> 19.0 ms, 2026-12-02) came with the
        shorter chunks (``hold_limit``). A pause of 1 ms gave a lower scan p99 in two alternating
        soak pairs one afternoon (99 -> 64, 56 -> 49 ms) and none beyond the noise in two that
        evening (17.4 -> 15.7, 24.0 -> 25.4 ms), with each change on every phone a little later
        (p50 94 -> 116, 129 -> 148 ms; bench/soak.py's ``told``), so it stays a bare turn."""
        await asyncio.sleep(self.pause if self.requests_waiting() else 0)

    # Connections

    async def join(self, event_id: int, attendee_id: int | None, send: Send) -> Subscriber:
        channel = self.channels.get(event_id)
        if channel is None:
            async with self._open_lock:
                channel = self.channels.get(event_id)
                if channel is None:
                    channel = await self._open(event_id)
                    self.channels[event_id] = channel
        sub = Subscriber(channel, attendee_id, send)
        channel.subscribers.add(sub)
        self.heap.note_join()
        if attendee_id is not None:
            channel.attendees += 1
        return sub

    async def _open(self, event_id: int) -> Channel:
        """A channel for an event's first phone, its ring filled with the log's last entries."""
        last = await self.source.last_seq(event_id)
        channel = Channel(event_id, last)
        if last and self.recent_size:
            try:
                envelopes = await self.source.changes(event_id, max(0, last - self.recent_size), last)
            except Exception:  # the ring fills as entries arrive; replays read the database meanwhile
                log.warning("Live updates: could not read the recent change log of event %d", event_id, exc_info=True)
                envelopes = []
            for envelope in envelopes:
                if channel.recent and envelope.seq != channel.recent[-1].seq + 1:
                    channel.recent.clear()  # not consecutive: keep only what follows the hole
                channel.recent.append(Frames(envelope))
            if channel.recent and channel.recent[-1].seq != last:
                channel.recent.clear()
        return channel

    def leave(self, sub: Subscriber) -> None:
        sub.closed = True
        if sub.flusher is not None:
            sub.flusher.cancel()
        channel = sub.channel
        if sub in channel.subscribers:
            channel.subscribers.discard(sub)
            if sub.attendee_id is not None:
                channel.attendees -= 1

    def hello(self, sub: Subscriber, since: int) -> None:
        """The client wants everything after ``since`` (first thing, or again after it saw a gap)."""
        if sub.closed:
            return
        if sub.flusher is None and self._replay_now(sub, since):
            return
        sub.live = False  # until the replay has caught up; what it would miss meanwhile, it replays
        sub.pending = None
        sub.pending_size = 0
        sub.rewind = since
        if sub.flusher is None:
            sub.flusher = asyncio.create_task(self._flush(sub, None))

    def _replay_now(self, sub: Subscriber, since: int) -> bool:
        """Replay from the ring at once, without a task, if nothing has to be read for it (the
        usual reconnect); False to leave it to :meth:`_replay`."""
        channel = sub.channel
        if since > channel.last_seq or channel.last_seq - since > self.replay_window:
            return False  # resync
        batch = channel.recent_after(since) if since < channel.last_seq else []
        if batch is None:
            return False  # older than the ring: the database
        if sub.attendee_id is None:
            texts = [frames.plain for frames in batch]
        else:
            texts = []
            for frames in batch:
                stars = self._fresh_stars(frames)
                if stars is None:
                    return False  # who starred it has to be read first
                texts.append(frames.starred if sub.attendee_id in stars else frames.plain)
        # No await from here on: the replay ends at last_seq, and live delivery goes on from there.
        sub.pending = None
        sub.pending_size = 0
        sub.cursor = channel.last_seq
        sub.live = True
        for text in texts:
            self._send(sub, text)
            if sub.closed:
                break
        return True

    def _fresh_stars(self, frames: Frames) -> set[int] | frozenset[int] | None:
        """Who has the entry's talk starred, if known and fresh; NOBODY for an entry with no talk."""
        if frames.talk_id is None:
            return NOBODY
        if frames.stars is not None and time.monotonic() - frames.stars_at < self.stars_ttl:
            return frames.stars
        return None

    async def _stars(self, frames: Frames) -> set[int] | frozenset[int]:
        """Who has the entry's talk starred: one read per entry however many phones ask at once."""
        stars = self._fresh_stars(frames)
        if stars is not None:
            return stars
        reading = self._stars_reading.get(frames)
        if reading is None:
            reading = asyncio.get_running_loop().create_future()
            self._stars_reading[frames] = reading
            try:
                assert frames.talk_id is not None
                value = await self.source.starred_by(frames.talk_id)
            except BaseException as exc:
                reading.set_exception(exc)
                reading.exception()  # retrieved: whoever waits gets it too
                raise
            else:
                frames.stars, frames.stars_at = value, time.monotonic()
                reading.set_result(value)
            finally:
                del self._stars_reading[frames]
            return value
        return await asyncio.shield(reading)

    def ping(self, sub: Subscriber) -> None:
        if sub.flusher is not None:
            sub.pong = True
        else:
            self._send(sub, PONG)

    def _send(self, sub: Subscriber, text: str) -> None:
        """Send at once, or queue behind a send that is waiting (bounded: overflow ends it)."""
        if sub.flusher is not None:
            if sub.pending is None:
                sub.pending = deque()
            if len(sub.pending) >= self.queue_limit or sub.pending_size + len(text) > self.queue_size_limit:
                self._drop(sub)  # it cannot keep up
            else:
                sub.pending.append(text)
                sub.pending_size += len(text)
            return
        try:
            rest = sub.send(text)
        except Exception:
            self._drop(sub)  # the connection is gone
            return
        if rest is not None:
            sub.flusher = asyncio.create_task(self._flush(sub, rest))

    async def _flush(self, sub: Subscriber, waiting: Awaitable[None] | None) -> None:
        """Finish a waiting send, then replay on request and send the queue, until all is out."""
        try:
            if waiting is not None:
                await waiting
            while not sub.closed:
                if sub.rewind is not None:
                    since, sub.rewind = sub.rewind, None
                    await self._replay(sub, since)
                elif sub.pong:
                    sub.pong = False
                    await _sent(sub, PONG)
                elif sub.pending:
                    text = sub.pending.popleft()
                    sub.pending_size -= len(text)
                    await _sent(sub, text)
                else:
                    break
        except asyncio.CancelledError:
            pass  # dropped, or shutdown
        except Exception:
            log.debug("Live updates: dropping a connection whose send or replay failed", exc_info=True)
            self._drop(sub)
        finally:
            sub.flusher = None

    def _drop(self, sub: Subscriber) -> None:
        """End a connection: stop its (perhaps stuck) sends and its reader; the phone reconnects
        and resumes from its last ``seq``."""
        sub.closed = True
        sub.dropped = True
        sub.pending = None
        sub.pending_size = 0
        if sub.flusher is not None and sub.flusher is not asyncio.current_task():
            sub.flusher.cancel()
        if sub.reader is not None:
            sub.reader.cancel()

    async def run(self, sub: Subscriber, read: Callable[[], Awaitable[None]]) -> None:
        """Serve one connection until the client leaves or falls too far behind.

        ``read`` receives the client's frames (passing them to :meth:`hello` and :meth:`ping`)
        and returns when the client disconnects. When the hub drops the connection (it overflowed,
        or a send failed), ``read`` is cancelled and this returns normally, so that the server
        closes the connection.
        """
        sub.reader = asyncio.current_task()
        try:
            await read()
        except asyncio.CancelledError:
            if not sub.dropped or sub.reader is None or sub.reader.uncancel() > 0:
                raise
        finally:
            self.leave(sub)

    async def _replay(self, sub: Subscriber, since: int) -> None:
        channel = sub.channel
        if since > channel.last_seq or channel.last_seq - since > self.replay_window:
            sub.cursor = channel.last_seq
            await _sent(sub, resync(channel.last_seq))
        else:
            sub.cursor = since
        starred: set[int] | frozenset[int] | None = None  # the attendee's talks, read if the ring falls short
        while sub.cursor < channel.last_seq and not sub.closed:
            batch = channel.recent_after(sub.cursor)
            from_memory = batch is not None
            if batch is None:
                envelopes = await self.source.changes(channel.event_id, sub.cursor, channel.last_seq)
                batch = [Frames(e) for e in envelopes]
                if sub.attendee_id is not None and starred is None:
                    starred = await self.source.starred_talks(sub.attendee_id)
            start = sub.cursor
            for frames in batch:
                if frames.seq == sub.cursor + 1:
                    if sub.attendee_id is None:
                        text = frames.plain
                    elif from_memory:
                        text = frames.starred if sub.attendee_id in await self._stars(frames) else frames.plain
                    else:
                        text = frames.for_attendee(starred or NOBODY)
                    await _sent(sub, text)
                    sub.cursor = frames.seq
            if sub.cursor == start:
                break  # the database is behind this process; live delivery continues from here
        # No await between the last check above and this line: nothing delivered in between is lost.
        sub.live = True

    async def status(self, event_id: int) -> dict[str, object]:
        """The live state of one event: this process's connections, and all processes' together
        (as each last reported, within ``report_interval``)."""
        channel = self.channels.get(event_id)
        here = len(channel.subscribers) if channel else 0
        # While the broker is away its counts are unknown, and asking would wait for its timeout.
        reports = await self.broker.phones_elsewhere() if self.broker.connected else []
        elsewhere = [counts.get(event_id, 0) for counts in reports]
        return {
            "broker": self.broker.name,
            "broker_connected": self.broker.connected,
            "connections": here,
            "all_connections": here + sum(elsewhere),
            "processes": 1 + len(elsewhere),
            "last_seq": channel.last_seq if channel else None,
        }
