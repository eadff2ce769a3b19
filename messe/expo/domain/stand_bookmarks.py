"""The stands an attendee saved in "Mit program", to visit: saved and removed one at a time, or
merged from a phone that saved them before its owner signed in. Each change is one unit of work
with its audit entry (on the attendee, so erasing the attendee blanks it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from messe.common.audit import record
from messe.common.models import Event
from messe.common.unit_of_work import unit_of_work
from messe.expo.domain.stands import by_stand
from messe.expo.models import Exhibitor, StandBookmark
from messe.people.models import Attendee

MAX_ID = 2**31 - 1


async def saved_exhibitor_ids(attendee_id: int) -> list[int]:
    return sorted(await StandBookmark.filter(attendee_id=attendee_id).values_list("exhibitor_id", flat=True))


async def _stands(attendee: Attendee, exhibitor_ids: Iterable[int]) -> dict[int, str]:
    """The stands among ``exhibitor_ids`` of the attendee's own event, by exhibitor id."""
    wanted = {i for i in exhibitor_ids if 0 < i <= MAX_ID}
    if not wanted:
        return {}
    return dict(await Exhibitor.filter(event_id=attendee.event_id, id__in=wanted).values_list("id", "stand"))


async def _event(attendee: Attendee) -> Event:
    return await Event.get(id=attendee.event_id)


async def save_stand(attendee: Attendee, exhibitor_id: int, actor: str) -> bool:
    """Save a stand in the attendee's programme; False when their fair has no such exhibitor."""
    stands = await _stands(attendee, [exhibitor_id])
    if not stands:
        return False
    async with unit_of_work():
        _, created = await StandBookmark.get_or_create(attendee=attendee, exhibitor_id=exhibitor_id)
        if created:
            await record(await _event(attendee), actor, "stand.saved", attendee, exhibitor=exhibitor_id,
                         stand=stands[exhibitor_id])
    return True


async def remove_stand(attendee: Attendee, exhibitor_id: int, actor: str) -> None:
    async with unit_of_work():
        removed = await StandBookmark.filter(attendee=attendee, exhibitor_id=exhibitor_id).delete()
        if removed:
            await record(await _event(attendee), actor, "stand.removed", attendee, exhibitor=exhibitor_id)


async def merge_stands(attendee: Attendee, exhibitor_ids: Iterable[int], actor: str) -> list[int]:
    """Add the stands a phone saved before signing in; returns every stand the attendee saved."""
    stands = await _stands(attendee, exhibitor_ids)
    async with unit_of_work():
        have = set(await StandBookmark.filter(attendee=attendee).values_list("exhibitor_id", flat=True))
        missing = sorted(set(stands) - have)
        if missing:
            await StandBookmark.bulk_create([StandBookmark(attendee=attendee, exhibitor_id=i) for i in missing])
            await record(await _event(attendee), actor, "stand.merged", attendee,
                         stands=[stands[i] for i in missing])
    return await saved_exhibitor_ids(attendee.id)


@dataclass(frozen=True)
class StandDirectory:
    """Every stand of a fair (what the phone needs to list saved stands, offline too) and those one
    attendee saved; ``version`` changes whenever either does."""

    stands: list[dict[str, Any]]
    saved: list[dict[str, Any]]

    @property
    def version(self) -> list[Any]:
        return [[(s["id"], s["stand"], s["hall"], s["name"]) for s in self.stands], [s["id"] for s in self.saved]]


async def stand_directory(event: Event, attendee_id: int | None) -> StandDirectory:
    stands = [{"id": e.id, "stand": e.stand, "hall": e.hall, "name": e.name}
              for e in by_stand(await Exhibitor.filter(event=event))]
    saved = set(await saved_exhibitor_ids(attendee_id)) if attendee_id is not None else set()
    return StandDirectory(stands=stands, saved=[s for s in stands if s["id"] in saved])
