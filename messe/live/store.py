"""The hub's view of the database: the change log, the event's last ``seq`` and bookmarks."""

from __future__ import annotations

from messe.common.models import Event
from messe.live.protocol import Envelope
from messe.people.models import Bookmark
from messe.programme.models import ScheduleChange


def envelope_of(change: ScheduleChange) -> Envelope:
    return Envelope(event_id=change.event_id, seq=change.seq, kind=change.kind, talk_id=change.talk_id,
                    after=change.after, before=change.before, message=change.message,
                    at=change.created_at.isoformat())


class DatabaseSource:
    async def last_seq(self, event_id: int) -> int:
        value = await Event.filter(id=event_id).first().values_list("last_seq", flat=True)
        return int(value or 0)

    async def changes(self, event_id: int, after: int, upto: int) -> list[Envelope]:
        rows = await ScheduleChange.filter(event_id=event_id, seq__gt=after, seq__lte=upto).order_by("seq")
        return [envelope_of(row) for row in rows]

    async def starred_by(self, talk_id: int) -> set[int]:
        return set(await Bookmark.filter(talk_id=talk_id).values_list("attendee_id", flat=True))

    async def starred_talks(self, attendee_id: int) -> set[int]:
        return set(await Bookmark.filter(attendee_id=attendee_id).values_list("talk_id", flat=True))
