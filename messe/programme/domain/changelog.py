"""The change log: every change to the published programme, and every announcement, as a
``ScheduleChange`` row with an event-wide, strictly increasing ``seq``.

Rows are written inside the transaction that makes the change, after :func:`lock_event`, which
holds the event row until commit: two changes of one event never share or swap a ``seq``, and
they commit in ``seq`` order. Rows are never deleted: the log is the history
behind the "what changed" page, the Atom feed and the frab version. Phones are replayed at most
``REPLAY_WINDOW`` entries (messe.live.hub); further behind, they are told to reload.

:class:`LiveChangeLog` is how the live part reads this log (its ``ChangeLog`` protocol,
messe.live.source).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.expressions import F

from messe.common.models import Event
from messe.common.unit_of_work import published_after_commit
from messe.live.protocol import Envelope
from messe.programme.domain.snapshot import TIMING, Snapshot, public_part
from messe.programme.models import ScheduleChange, TalkState


class Kind:
    ADDED = "added"
    MOVED = "moved"  # to another time and another stage
    RETIMED = "retimed"  # to another time, same stage
    RESTAGED = "restaged"  # to another stage, same time
    CANCELLED = "cancelled"
    UPDATED = "updated"  # title, abstract, speakers, track or language
    ANNOUNCEMENT = "announcement"
    ALL = (ADDED, MOVED, RETIMED, RESTAGED, CANCELLED, UPDATED, ANNOUNCEMENT)


def _stage_id(snapshot: Snapshot) -> int | None:
    return snapshot["stage"]["id"] if snapshot.get("stage") else None


def classify(before: Snapshot | None, after: Snapshot | None) -> str | None:
    """The kind of change from ``before`` to ``after`` as attendees see it; None if they would
    not notice any. A cancelled talk that comes back counts as added."""
    if after is None or public_part(before) == public_part(after):
        return None
    cancelled = after["state"] == TalkState.CANCELLED
    if before is None:
        return None if cancelled else Kind.ADDED
    was_cancelled = before["state"] == TalkState.CANCELLED
    if cancelled and not was_cancelled:
        return Kind.CANCELLED
    if was_cancelled and not cancelled:
        return Kind.ADDED
    retimed = any(before[k] != after[k] for k in TIMING)
    restaged = _stage_id(before) != _stage_id(after)
    if retimed and restaged:
        return Kind.MOVED
    if retimed:
        return Kind.RETIMED
    if restaged:
        return Kind.RESTAGED
    return Kind.UPDATED


@dataclass(frozen=True)
class Entry:
    """A change-log row to write."""

    kind: str
    talk_id: int | None = None
    before: Snapshot | None = None
    after: Snapshot | None = None
    message: dict[str, Any] | None = None


async def lock_event(event_id: int) -> Event:
    """Lock the event row for the rest of the transaction and read it.

    Programme edits of one event are thereby serialised: the rules are checked against a
    programme nobody else is changing, and ``last_seq`` as read here stays current until
    commit. The no-op UPDATE is the lock: a row lock on PostgreSQL, the write lock on SQLite
    (which also serialises several processes on one SQLite file).
    """
    await Event.filter(id=event_id).update(last_seq=F("last_seq"))
    return await Event.get(id=event_id)


async def record(event: Event, entries: list[Entry], version: str = "") -> list[ScheduleChange]:
    """Write ``entries`` with the next ``seq`` numbers; call inside the change's unit of work,
    after :func:`lock_event`. The rows reach the phones once it has committed."""
    if not entries:
        return []
    published = published_after_commit()
    first = event.last_seq + 1
    event.last_seq += len(entries)
    await Event.filter(id=event.id).update(last_seq=event.last_seq)
    rows = []
    for seq, entry in enumerate(entries, start=first):
        rows.append(await ScheduleChange.create(
            event_id=event.id, seq=seq, kind=entry.kind, talk_id=entry.talk_id, before=entry.before,
            after=entry.after, message=entry.message, version=version or event.published_version))
    published.extend(rows)
    return rows


async def changes_after(event: Event, since: int, limit: int) -> list[ScheduleChange]:
    return await ScheduleChange.filter(event=event, seq__gt=since).order_by("seq").limit(limit)


async def latest_changes(event: Event, limit: int) -> list[ScheduleChange]:
    return await ScheduleChange.filter(event=event).order_by("-seq").limit(limit)


class LiveChangeLog:
    """The change log as the live hub reads it (messe.live.source.ChangeLog): one query per read."""

    __slots__ = ()

    async def last_seq(self, event_id: int) -> int:
        value = await Event.filter(id=event_id).first().values_list("last_seq", flat=True)
        return int(value or 0)

    async def changes(self, event_id: int, after: int, upto: int) -> list[Envelope]:
        rows = await ScheduleChange.filter(event_id=event_id, seq__gt=after, seq__lte=upto).order_by("seq")
        return [self.envelope(row) for row in rows]

    def envelope(self, row: ScheduleChange) -> Envelope:
        return Envelope(event_id=row.event_id, seq=row.seq, kind=row.kind, talk_id=row.talk_id,
                        after=row.after, before=row.before, message=row.message,
                        at=row.created_at.isoformat())
