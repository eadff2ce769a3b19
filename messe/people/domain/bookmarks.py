"""An attendee's personal schedule: the talks they starred.

:class:`LiveStars` is how the live part reads them (its ``Stars`` protocol, messe.live.source).
"""

from __future__ import annotations

from collections.abc import Iterable

from messe.common.unit_of_work import unit_of_work
from messe.people.models import Attendee, Bookmark
from messe.programme.models import Talk


async def starred_talk_ids(attendee_id: int) -> list[int]:
    return sorted(await Bookmark.filter(attendee_id=attendee_id).values_list("talk_id", flat=True))


async def _public_talk_ids(attendee: Attendee, talk_ids: Iterable[int]) -> set[int]:
    """Only talks of the attendee's own event that attendees can see may be starred."""
    wanted = {t for t in talk_ids if 0 < t < 2**31}
    if not wanted:
        return set()
    return set(await Talk.filter(event_id=attendee.event_id, id__in=wanted, published__not_isnull=True)
               .values_list("id", flat=True))


async def star(attendee: Attendee, talk_id: int) -> bool:
    """Star a talk; False when there is no such public talk."""
    if not await _public_talk_ids(attendee, [talk_id]):
        return False
    await Bookmark.get_or_create(attendee=attendee, talk_id=talk_id)
    return True


async def unstar(attendee: Attendee, talk_id: int) -> None:
    await Bookmark.filter(attendee=attendee, talk_id=talk_id).delete()


async def merge_stars(attendee: Attendee, talk_ids: Iterable[int]) -> list[int]:
    """Add stars made on a phone before signing in; returns the whole personal schedule."""
    valid = await _public_talk_ids(attendee, talk_ids)
    async with unit_of_work():
        have = set(await Bookmark.filter(attendee=attendee).values_list("talk_id", flat=True))
        missing = valid - have
        if missing:
            await Bookmark.bulk_create([Bookmark(attendee=attendee, talk_id=t) for t in sorted(missing)])
    return await starred_talk_ids(attendee.id)


class LiveStars:
    """Who starred what, as the live hub reads it (messe.live.source.Stars): one query per read."""

    __slots__ = ()

    async def starred_by(self, talk_id: int) -> set[int]:
        return set(await Bookmark.filter(talk_id=talk_id).values_list("attendee_id", flat=True))

    async def starred_talks(self, attendee_id: int) -> set[int]:
        return set(await Bookmark.filter(attendee_id=attendee_id).values_list("talk_id", flat=True))
