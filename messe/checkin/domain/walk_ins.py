"""Walk-ins: someone registered at the door is an attendee at once, checked in, ready for a badge."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from messe.checkin.domain.checkins import CheckInResult, check_in
from messe.checkin.models import CheckIn
from messe.people.domain.attendees import create_attendee
from messe.people.models import Attendee, AttendeeRole
from messe.programme.models import Event


@dataclass(frozen=True)
class WalkIn:
    name: str
    organisation: str
    job_title: str
    email: str
    phone: str
    consent_share_contact: bool
    language: str = "da"


async def register_walk_in(event: Event, walk_in: WalkIn, *, client_id: str, door: str,
                           account_id: int | None) -> tuple[Attendee, CheckInResult]:
    """Create the attendee and check them in; the form's ``client_id`` makes a resubmission
    return the walk-in registered the first time instead of a second person."""
    async with in_transaction():
        earlier = await CheckIn.get_or_none(client_id=client_id).select_related("attendee")
        attendee = earlier.attendee if earlier is not None else await create_attendee(
            event, name=walk_in.name, organisation=walk_in.organisation, job_title=walk_in.job_title,
            email=walk_in.email, phone=walk_in.phone, consent_share_contact=walk_in.consent_share_contact,
            language=walk_in.language, role=AttendeeRole.DELTAGER)
        result = await check_in(attendee, client_id, badge_version=attendee.badge_version, door=door,
                                account_id=account_id)
    return attendee, result
