"""Importing checked attendee rows into an event: all rows in one transaction, or none.

A row whose e-mail address belongs to an attendee already in the event updates that attendee
(only the fields the file has columns for); every other row creates a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from messe.common import pending
from messe.common.audit import record
from messe.common.models import Event, PendingImport
from messe.common.refusal import Refusal
from messe.common.unit_of_work import unit_of_work
from messe.people.domain.attendees import organisation_named
from messe.people.domain.imports import AttendeeRow
from messe.people.models import Attendee, Organisation

UPDATABLE = ("name", "phone", "job_title", "role", "consent_share_contact", "language")


@dataclass(frozen=True)
class ImportPlan:
    new: list[AttendeeRow]
    updates: list[tuple[AttendeeRow, Attendee]]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


async def plan_import(event: Event, rows: list[AttendeeRow]) -> ImportPlan:
    """Which rows create attendees and which update one already in the event (same e-mail)."""
    emails = [row.email.lower() for row in rows if row.email]
    existing: dict[str, Attendee] = {}
    if emails:
        for attendee in await Attendee.filter(event=event, erased_at=None, email__not="").prefetch_related(
                "organisation"):
            existing.setdefault(attendee.email.lower(), attendee)
    new, updates = [], []
    for row in rows:
        match = existing.get(row.email.lower()) if row.email else None
        if match is None:
            new.append(row)
        else:
            updates.append((row, match))
    return ImportPlan(new, updates)


async def _organisations(event: Event, names: set[str]) -> dict[str, Organisation]:
    found = {o.name: o for o in await Organisation.filter(event=event, name__in=list(names))}
    for name in names - found.keys():
        organisation = await organisation_named(event, name)
        assert organisation is not None
        found[name] = organisation
    return found


async def import_attendees(event: Event, rows: list[AttendeeRow], columns: set[str], *, actor: str,
                           filename: str = "", upload: PendingImport | None = None) -> ImportResult:
    """Create or update the attendees of ``rows`` in one transaction, with one audit entry.

    ``columns`` names the fields the file has; an update leaves the other fields alone. ``upload``
    is the file the organiser confirms: it is used up in the same transaction, so a second click
    imports nothing.
    """
    updatable = [name for name in UPDATABLE if name in columns]
    async with unit_of_work():
        if upload is not None and not await pending.claim(upload):
            raise Refusal.conflict("Filen er allerede importeret")
        plan = await plan_import(event, rows)
        organisations = await _organisations(event, {row.organisation for row in rows if row.organisation})
        await Attendee.bulk_create([
            Attendee(event=event, organisation=organisations.get(row.organisation),
                     **{k: v for k, v in row.values().items() if k != "organisation"})
            for row in plan.new
        ], batch_size=500)
        updated = 0
        for row, attendee in plan.updates:
            changed = [name for name in updatable if getattr(attendee, name) != getattr(row, name)]
            for name in changed:
                setattr(attendee, name, getattr(row, name))
            organisation = organisations.get(row.organisation)
            if "organisation" in columns and attendee.organisation_id != (organisation.id if organisation else None):
                attendee.organisation = organisation
                changed.append("organisation_id")
            if changed:
                await attendee.save(update_fields=changed)
                updated += 1
        await record(event, actor, "attendees.imported", None, filename=filename, created=len(plan.new),
                     updated=updated, unchanged=len(plan.updates) - updated)
    return ImportResult(created=len(plan.new), updated=updated)
