"""The numbers on the admin home page."""

from __future__ import annotations

from dataclasses import dataclass

from messe.checkin.models import CheckIn
from messe.common.models import Event
from messe.expo.models import Exhibitor
from messe.people.models import Attendee
from messe.programme.models import Talk, TalkState


@dataclass(frozen=True)
class Overview:
    talks: int
    drafts: int
    cancelled: int
    attendees: int
    badges_printed: int
    exhibitors: int
    checked_in: int


async def overview(event: Event) -> Overview:
    attendees = Attendee.filter(event=event, erased_at=None)
    checked_in = await CheckIn.filter(event=event).distinct().order_by("attendee_id").values_list(
        "attendee_id", flat=True)
    return Overview(
        talks=await Talk.filter(event=event).count(),
        drafts=await Talk.filter(event=event, published__isnull=True).count(),
        cancelled=await Talk.filter(event=event, state=TalkState.CANCELLED).count(),
        attendees=await attendees.count(),
        badges_printed=await attendees.filter(badge_printed_at__isnull=False).count(),
        exhibitors=await Exhibitor.filter(event=event).count(),
        checked_in=len(checked_in),
    )
