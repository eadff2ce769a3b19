"""Leads: the visitors an exhibitor's staff scan, one lead per exhibitor and visitor.

Scanning is an idempotent upsert (as in pretixLEAD): the first scan creates the lead, every later
scan of the same visitor by the same exhibitor finds it again, whichever phone and ``client_id``
it comes from. What a repeat scan brings (notes, rating, tags typed on a phone that was offline)
is merged in, never dropped, and merging the same scan twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet

from messe.common.audit import record as audit
from messe.common.refusal import Refusal
from messe.common.unit_of_work import unit_of_work
from messe.expo.models import Exhibitor, Lead
from messe.lookup import Lookup
from messe.people.models import Attendee
from messe.scanning.domain.scans import client_id_taken


@dataclass(frozen=True)
class Scan:
    client_id: str
    badge_version: int
    notes: str = ""
    rating: int = 0
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Contact:
    """What an exhibitor may see of how to reach a visitor: only what the visitor agreed to share."""

    shared: bool
    email: str | None
    phone: str | None


def contact_of(attendee: Attendee) -> Contact:
    if not attendee.consent_share_contact:
        return Contact(shared=False, email=None, phone=None)
    return Contact(shared=True, email=attendee.email, phone=attendee.phone)


def leads_of(exhibitor_id: int) -> QuerySet[Lead]:
    """The exhibitor's leads, newest first, with what showing them needs."""
    return (Lead.filter(exhibitor_id=exhibitor_id, attendee__erased_at=None)
            .select_related("attendee", "attendee__organisation", "scanned_by")
            .order_by("-scanned_at", "-id"))


async def shown_with(lead: Lead, attendee: Attendee) -> Lead:
    """``lead`` with what showing it needs, as ``leads_of`` fetches it, given its ``attendee``
    (with organisation) at hand."""
    lead.attendee = attendee
    if lead.scanned_by_id is None:
        lead.scanned_by = None
    else:
        await lead.fetch_related("scanned_by")
    return lead


def checked_tags(exhibitor: Exhibitor, tags: list[str]) -> list[str]:
    """``tags`` without repeats, each one from the exhibitor's own tag list."""
    allowed = set(exhibitor.lead_tags)
    for tag in tags:
        if tag not in allowed:
            raise Refusal.invalid("Ukendt tag: {tag}", field="tags", tag=tag)
    return list(dict.fromkeys(tags))


def merge_notes(existing: str, incoming: str) -> str:
    """Notes from a repeat scan added to the lead's notes; nothing is added twice, and notes that
    only extend the lead's (typed further on the phone that made them) replace them."""
    incoming = incoming.strip()
    if not incoming or incoming in existing:
        return existing
    if incoming.startswith(existing.strip()):
        return incoming
    return f"{existing.rstrip()}\n\n{incoming}"


def _merge(lead: Lead, scan: Scan) -> list[str]:
    changed = {
        "notes": merge_notes(lead.notes, scan.notes),
        "rating": scan.rating if scan.rating and (not lead.rating or scan.client_id == lead.client_id)
        else lead.rating,
        "tags": list(dict.fromkeys([*lead.tags, *scan.tags])),
    }
    names = [name for name, value in changed.items() if getattr(lead, name) != value]
    lead.update_from_dict({name: changed[name] for name in names})
    return names

_LEAD = Lookup(Lead, "exhibitor_id", "attendee_id")  # every scan at a stand: is it a lead already?


async def capture_lead(exhibitor: Exhibitor, attendee: Attendee, scan: Scan,
                      account_id: int | None, actor: str = "") -> tuple[Lead, bool]:
    """The lead for ``attendee`` after this scan, and whether the scan created it (the audit log
    names ``actor`` for a new lead; a later scan of the same badge is not written there)."""
    tags = checked_tags(exhibitor, scan.tags)
    scan = Scan(scan.client_id, scan.badge_version, scan.notes.strip(), scan.rating, tags)
    # The INSERT comes first: most scans at a stand are a visitor's first there, and asking before
    # would cost each of them a query (one in six of a scan's; the unique key answers the same).
    try:
        lead = await Lead.create(event_id=exhibitor.event_id, exhibitor_id=exhibitor.id, attendee_id=attendee.id,
                                 client_id=scan.client_id, badge_version=scan.badge_version, notes=scan.notes,
                                 rating=scan.rating, tags=scan.tags, scanned_by_id=account_id,
                                 scanned_at=datetime.now(UTC))
    except IntegrityError:
        # A lead already (a repeat scan, or another phone a moment ago), or the client_id is used
        # for someone else.
        lead = await _LEAD.get(exhibitor_id=exhibitor.id, attendee_id=attendee.id)
        if lead is None:
            raise client_id_taken(scan.client_id) from None
    else:
        # The entry follows the lead's own INSERT instead of sharing a transaction with it: on
        # SQLite a transaction holds the one connection across both round trips, and at the
        # stands' peak every other scan queued behind it (bench/soak.py --rate-factor 3: scan
        # p99 4.1 s with, 0.5 s without). A crash in between loses the entry, never the lead.
        await audit(exhibitor.event_id, actor, "lead.captured", attendee, name=attendee.name,
                    exhibitor=exhibitor.name, stand=exhibitor.stand)
        return lead, True
    changed = _merge(lead, scan)
    if changed:
        await lead.save(update_fields=[*changed, "updated_at"])
    return lead, False


async def edit_lead(lead: Lead, exhibitor: Exhibitor, *, actor: str, notes: str | None = None,
                    rating: int | None = None, tags: list[str] | None = None) -> None:
    """Set what is given; the rest stays (``lead.attendee`` fetched, for the audit log's sentence)."""
    changes: dict[str, object] = {}
    if notes is not None:
        changes["notes"] = notes.strip()
    if rating is not None:
        changes["rating"] = rating
    if tags is not None:
        changes["tags"] = checked_tags(exhibitor, tags)
    names = [name for name, value in changes.items() if getattr(lead, name) != value]
    if names:
        before = {name: getattr(lead, name) for name in names}
        async with unit_of_work():
            lead.update_from_dict({name: changes[name] for name in names})
            await lead.save(update_fields=[*names, "updated_at"])
            await audit(exhibitor.event_id, actor, "lead.updated", lead.attendee, name=lead.attendee.name,
                        exhibitor=exhibitor.name, stand=exhibitor.stand, before=before,
                        after={name: changes[name] for name in names})
