"""Walk-ins: someone registered at the door is an attendee at once, checked in, ready for a badge.

A walk-in never makes a second person: an e-mail address that is already registered is refused
with the person it belongs to as the refusal's subject, whom the desk can then check in or reprint.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from messe.checkin.domain.checkins import BY_WALK_IN, CheckInResult, Staffer, check_in
from messe.checkin.domain.desk import grant
from messe.checkin.models import CheckIn
from messe.common.audit import record
from messe.common.models import Event
from messe.common.refusal import Refusal
from messe.people.domain.attendees import create_attendee, registered_with_email
from messe.people.models import Attendee, AttendeeRole


@dataclass(frozen=True)
class WalkIn:
    name: str
    organisation: str
    job_title: str
    email: str
    phone: str
    consent_share_contact: bool
    language: str = "da"


async def register_walk_in(event: Event, walk_in: WalkIn, staffer: Staffer, *, client_id: str,
                           desk: str) -> tuple[Attendee, CheckInResult]:
    """Create the attendee and check them in; the form's ``client_id`` makes a resubmission
    return the walk-in registered the first time instead of a second person. ``desk`` (the
    staffer's device key) may serve the new attendee at the desk afterwards (see desk.py)."""
    async with in_transaction():
        earlier = await CheckIn.get_or_none(client_id=client_id).select_related("attendee")
        if earlier is not None:
            attendee = earlier.attendee
        else:
            existing = await registered_with_email(event, walk_in.email)
            if existing is not None:
                raise Refusal.conflict(
                    "Er allerede registreret for {name} ({organisation}). Tjek personen ind eller genudskriv "
                    "badget ved skranken herunder.", field="email", subject=existing, name=existing.name,
                    organisation=existing.organisation.name if existing.organisation else "–")
            attendee = await create_attendee(
                event, name=walk_in.name, organisation=walk_in.organisation, job_title=walk_in.job_title,
                email=walk_in.email, phone=walk_in.phone, consent_share_contact=walk_in.consent_share_contact,
                language=walk_in.language, role=AttendeeRole.DELTAGER)
            await record(event, staffer.actor, "attendee.created", attendee, method=BY_WALK_IN)
        result = await check_in(event, attendee, client_id, staffer, badge_version=attendee.badge_version,
                                method=BY_WALK_IN)
        await grant(event, desk, [attendee.id])
    return attendee, result
