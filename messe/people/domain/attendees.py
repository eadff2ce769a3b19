"""Creating and changing attendees."""

from __future__ import annotations

from typing import Any

from messe.common.audit import difference, record
from messe.common.models import Event
from messe.common.unit_of_work import unit_of_work
from messe.people.domain.accounts import issue_personal_link_token
from messe.people.models import Attendee, Organisation, OrganisationKind


async def organisation_named(event: Event, name: str) -> Organisation | None:
    """The organisation with this name, created (kind "andet") when it is new; None for no name."""
    name = name.strip()
    if not name:
        return None
    org, _ = await Organisation.get_or_create(event=event, name=name, defaults={"kind": OrganisationKind.ANDET})
    return org


async def create_attendee(event: Event, **values: Any) -> Attendee:
    organisation = await organisation_named(event, values.pop("organisation", ""))
    return await Attendee.create(event=event, organisation=organisation, **values)


AUDITED = ("name", "email", "phone", "job_title", "role", "consent_share_contact", "language")


def attendee_facts(attendee: Attendee) -> dict[str, Any]:
    """What the audit log compares of an attendee whose organisation is fetched (their entries are
    blanked when the attendee's personal data is erased)."""
    organisation = attendee.organisation
    return {**{name: getattr(attendee, name) for name in AUDITED},
            "organisation": organisation.name if isinstance(organisation, Organisation) else ""}


async def update_attendee(attendee: Attendee, **changes: Any) -> list[str]:
    """Apply the given changes; returns the names of the fields that changed."""
    changed = []
    if "organisation" in changes:
        org = await organisation_named(attendee.event, changes.pop("organisation") or "")
        if attendee.organisation_id != (org.id if org else None):
            attendee.organisation = org
            changed.append("organisation_id")
    for name, value in changes.items():
        if getattr(attendee, name) != value:
            setattr(attendee, name, value)
            changed.append(name)
    if changed:
        await attendee.save(update_fields=changed)
    return changed


async def add_attendee(event: Event, values: dict[str, Any], *, actor: str) -> Attendee:
    """Register an attendee (an organiser's form or the API)."""
    async with unit_of_work():
        attendee = await create_attendee(event, **values)
        await record(event, actor, "attendee.created", attendee, name=attendee.name)
    return attendee


async def edit_attendee(attendee: Attendee, changes: dict[str, Any], *, actor: str) -> list[str]:
    """Change an attendee (organisation fetched); the names of the fields that changed."""
    async with unit_of_work():
        was = attendee_facts(attendee)
        changed = await update_attendee(attendee, **changes)
        if changed:
            await record(attendee.event_id, actor, "attendee.updated", attendee, fields=changed,
                         name=attendee.name, **difference(was, attendee_facts(attendee)))
    return changed


async def delete_attendee(attendee: Attendee, *, actor: str) -> None:
    async with unit_of_work():
        await record(attendee.event_id, actor, "attendee.deleted", attendee, name=attendee.name)
        await attendee.delete()


async def issue_link(attendee: Attendee, *, actor: str) -> str:
    """A new personal link for the organiser to hand over; the previous one stops working."""
    async with unit_of_work():
        token = await issue_personal_link_token(attendee)
        await record(attendee.event_id, actor, "link.issued", attendee, name=attendee.name)
    return token


async def registered_with_email(event: Event, email: str) -> Attendee | None:
    """The event's attendee (not erased) with this e-mail address, whatever its case; the first
    registered when a database from before walk-ins were checked holds the address twice."""
    email = email.strip()
    if not email:
        return None
    return await (Attendee.filter(event=event, email__iexact=email, erased_at=None).order_by("id")
                  .select_related("organisation").first())
