"""Data protection: an attendee's own data, erasure, and purging after the fair.

Erasing an attendee removes everything that identifies them (name, e-mail, phone, job title,
organisation, sign-in link and sessions, starred talks, saved stands) and every copy of it: the audit log's
details that hold it, uploads waiting for an import's confirmation, the badge PDFs printed for
them, and the notes exhibitors wrote on their lead (which may name them). Exhibitors keep that
the lead happened, its rating and its tags, but no longer see who it was (the leads page and "Mine data" say so);
check-ins stay as counts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from messe.badges.domain import badge_jobs
from messe.badges.domain.files import forget_event_prints
from messe.checkin.models import CheckIn
from messe.common import pending
from messe.common.audit import record
from messe.common.models import AuditEntry, Event
from messe.common.unit_of_work import unit_of_work
from messe.expo.models import Lead, StandBookmark
from messe.people.domain.sessions import end_every_session_unsaved
from messe.people.models import Attendee, Bookmark
from messe.push.models import PushSubscription

ERASED_NAME = "Slettet deltager"
ERASED_TEXT = "[slettet]"
# Shorter values (a two-letter name) would blank unrelated text in the audit log.
SHORTEST_IDENTIFIER = 3


async def personal_data(attendee: Attendee) -> dict[str, Any]:
    """Everything messe holds about one attendee, as the attendee may download it."""
    await attendee.fetch_related("organisation", "event")
    stars = await Bookmark.filter(attendee=attendee).prefetch_related("talk").order_by("talk__starts_at")
    leads = await Lead.filter(attendee=attendee).prefetch_related("exhibitor").order_by("scanned_at")
    checkins = await CheckIn.filter(attendee=attendee).order_by("checked_in_at")
    stands = await StandBookmark.filter(attendee=attendee).prefetch_related("exhibitor").order_by("exhibitor__stand")
    return {
        "event": attendee.event.name,
        "attendee": {
            "id": attendee.id,
            "name": attendee.name,
            "email": attendee.email,
            "phone": attendee.phone,
            "organisation": attendee.organisation.name if attendee.organisation else "",
            "job_title": attendee.job_title,
            "role": attendee.role,
            "consent_share_contact": attendee.consent_share_contact,
            "language": attendee.language,
            "badge_version": attendee.badge_version,
            "registered_at": attendee.created_at.isoformat(),
        },
        "starred_talks": [{"title": b.talk.title, "start": b.talk.starts_at.isoformat()} for b in stars],
        "saved_stands": [{"exhibitor": b.exhibitor.name, "stand": b.exhibitor.stand} for b in stands],
        "scanned_by_exhibitors": [
            {"exhibitor": lead.exhibitor.name, "stand": lead.exhibitor.stand,
             "scanned_at": lead.scanned_at.isoformat(), "notes": lead.notes, "rating": lead.rating,
             "tags": lead.tags}
            for lead in leads
        ],
        "check_ins": [{"at": c.checked_in_at.isoformat(), "door": c.door} for c in checkins],
    }


def _identifiers(attendee: Attendee) -> set[str]:
    return {value.casefold() for value in (attendee.name, attendee.email, attendee.phone)
            if len(value) >= SHORTEST_IDENTIFIER}


async def _erase(attendee: Attendee) -> None:
    attendee.name = ERASED_NAME
    attendee.email = ""
    attendee.phone = ""
    attendee.job_title = ""
    attendee.organisation = None
    attendee.consent_share_contact = False
    attendee.login_token_hash = attendee.pending_token_hash = None
    end_every_session_unsaved(attendee)
    attendee.erased_at = datetime.now(UTC)
    # A new badge version makes every printed QR of this person invalid.
    attendee.badge_version += 1
    await attendee.save()
    await Bookmark.filter(attendee=attendee).delete()
    await StandBookmark.filter(attendee=attendee).delete()
    await PushSubscription.filter(attendee=attendee).delete()  # the browsers' addresses are theirs too


def _scrubbed(value: Any, identifiers: set[str]) -> Any:
    """``value`` (an audit detail) with every string that holds one of ``identifiers`` blanked."""
    if isinstance(value, str):
        folded = value.casefold()
        return ERASED_TEXT if any(identifier in folded for identifier in identifiers) else value
    if isinstance(value, list):
        return [_scrubbed(item, identifiers) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, identifiers) for key, item in value.items()}
    return value


async def _forget_copies(event: Event, attendee_ids: list[int], identifiers: set[str]) -> None:
    """Remove or blank every copy of the attendees' data outside their own rows."""
    await Lead.filter(attendee_id__in=attendee_ids).update(notes="")
    await AuditEntry.filter(event=event, object_type="Attendee",
                            object_id__in=[str(i) for i in attendee_ids]).update(detail={})
    for entry in await AuditEntry.filter(event=event).exclude(object_type="Attendee"):
        detail, actor = _scrubbed(entry.detail, identifiers), _scrubbed(entry.actor, identifiers)
        if detail != entry.detail or actor != entry.actor:
            entry.detail, entry.actor = detail, actor
            await entry.save(update_fields=["detail", "actor"])
    await pending.forget_event(event)
    badge_jobs.JOBS.forget_people(event, set(attendee_ids))
    forget_event_prints(event.slug)


async def erase_attendee(attendee: Attendee, actor: str) -> None:
    await attendee.fetch_related("event")
    identifiers = _identifiers(attendee)
    async with unit_of_work():
        await _erase(attendee)
        await _forget_copies(attendee.event, [attendee.id], identifiers)
        await record(attendee.event, actor, "attendee.erased", attendee)


async def purge(event: Event, after_days: int, actor: str = "messe purge") -> int:
    """Erase every attendee of an event that ended more than ``after_days`` ago; returns how many."""
    if datetime.now(UTC) - event.ends_at < timedelta(days=after_days):
        return 0
    async with unit_of_work():
        attendees = await Attendee.filter(event=event, erased_at=None)
        identifiers = set().union(*map(_identifiers, attendees))
        for attendee in attendees:
            await _erase(attendee)
        if attendees:
            await _forget_copies(event, [a.id for a in attendees], identifiers)
        await record(event, actor, "event.purged", event, attendees_erased=len(attendees), after_days=after_days,
                     removed=["name", "email", "phone", "job_title", "organisation", "sign-in links",
                              "starred talks", "saved stands", "lead notes", "audit details", "pending uploads",
                              "badge PDFs"])
    return len(attendees)
