"""How many attendees are in: for the door page and the organiser's dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise.functions import Count

from messe.checkin.models import CheckIn
from messe.common.models import Event
from messe.people.models import Attendee


@dataclass(frozen=True)
class CheckInCounts:
    checked_in: int  # distinct attendees
    registered: int  # attendees not erased, walk-ins included
    by_door: dict[str, int] = field(default_factory=dict)


async def checkin_counts(event: Event) -> CheckInCounts:
    checked_in = await (CheckIn.filter(event=event).annotate(n=Count("attendee_id", distinct=True)).order_by()
                        .first().values_list("n", flat=True))
    registered = await Attendee.filter(event=event, erased_at=None).count()
    doors = await (CheckIn.filter(event=event).annotate(n=Count("id")).group_by("door").order_by("door")
                   .values_list("door", "n"))
    return CheckInCounts(checked_in=checked_in or 0, registered=registered, by_door=dict(doors))
