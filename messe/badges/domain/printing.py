"""Badges for attendees in the database: choosing whom to print, reprints, checking a scanned code.

The admin UI, the door page and the command line all go through these functions, so a reprint
always bumps the badge version (revoking the old badge) the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from messe.badges.domain.badge import BadgeData
from messe.badges.domain.tokens import (
    BadgeClaims,
    derive_private_key,
    public_key_bytes,
    read_unverified,
    refused_badge,
    verify_badge,
)
from messe.common.audit import record
from messe.common.models import Event
from messe.people.models import Attendee, Organisation

UNKNOWN_ATTENDEE = "unknown_attendee"


def badge_data(attendee: Attendee, event: Event) -> BadgeData:
    """What goes on ``attendee``'s badge; the organisation must be fetched already."""
    organisation = attendee.organisation.name if attendee.organisation else ""
    return BadgeData(attendee_id=attendee.id, version=attendee.badge_version, name=attendee.name,
                     organisation=organisation, job_title=attendee.job_title, role=attendee.role,
                     event_name=event.name, event_slug=event.slug)


async def select_attendees(event: Event, role: str | None = None, organisation: str | None = None,
                           attendee_id: int | None = None) -> list[Attendee]:
    """The event's attendees (not erased) to print badges for, by name, with their organisation."""
    query = Attendee.filter(event=event, erased_at=None)
    if role:
        query = query.filter(role=role)
    if organisation:
        # Compared in Python: SQLite ignores case for ASCII letters only, and names have æøå.
        wanted = " ".join(organisation.split()).casefold()
        ids = [o.id for o in await Organisation.filter(event=event) if o.name.casefold() == wanted]
        query = query.filter(organisation_id__in=ids)
    if attendee_id is not None:
        query = query.filter(id=attendee_id)
    return await query.prefetch_related("organisation").order_by("name", "id")


async def mark_printed(attendees: list[Attendee], reprint: bool = False) -> None:
    """Record that these badges were printed now; a reprint also bumps their version.

    A bumped version makes every older badge of that attendee fail verification as superseded.
    """
    if not attendees:
        return
    now = datetime.now(UTC)
    ids = [a.id for a in attendees]
    if reprint:
        await Attendee.filter(id__in=ids).update(badge_version=F("badge_version") + 1, badge_printed_at=now)
    else:
        await Attendee.filter(id__in=ids).update(badge_printed_at=now)
    versions = dict(await Attendee.filter(id__in=ids).values_list("id", "badge_version"))
    for attendee in attendees:
        attendee.badge_version, attendee.badge_printed_at = versions[attendee.id], now


async def print_badge(event: Event, attendee: Attendee, actor: str, *, reprint: bool) -> None:
    """One badge printed (at the desk, or from the API), with its audit entry naming who printed it;
    a reprint revokes the badge printed before."""
    async with in_transaction():
        await mark_printed([attendee], reprint=reprint)
        await record(event, actor, "badge.reprinted" if reprint else "badge.printed", attendee,
                     badge_version=attendee.badge_version)


def event_public_key(secret_key: str, event: Event) -> bytes:
    return public_key_bytes(derive_private_key(secret_key, event.slug))


async def check_badge(payload: str, event: Event, secret_key: str) -> BadgeClaims:
    """The claims of a scanned badge if it is valid, of ``event``, current and of a known attendee."""
    claimed = read_unverified(payload)
    attendee = None
    if claimed.event_slug == event.slug:
        attendee = await Attendee.get_or_none(id=claimed.attendee_id, event=event, erased_at=None)
    current = attendee.badge_version if attendee else None
    claims = verify_badge(payload, event_public_key(secret_key, event), event.slug, current_version=current)
    if attendee is None:
        raise refused_badge(UNKNOWN_ATTENDEE, "Badget er gyldigt, men deltageren findes ikke længere")
    return claims
