"""Letting an attendee in: the first scan checks them in, later scans say when and where that was.

A badge scan, a check-in by hand at the desk and a walk-in all go through ``check_in``: the same
duplicate rule, and one audit entry naming the staffer for each check-in made.

Exactly once: a check-in carries the scanning device's ``client_id``, so a replayed request (an
offline queue syncing, a retry after a lost response) finds its own check-in again instead of
reporting the attendee as already checked in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from messe.checkin.models import CheckIn
from messe.common.audit import record
from messe.common.models import Event
from messe.common.unit_of_work import on_its_own
from messe.people.models import Attendee
from messe.scanning.domain.scans import client_id_taken

CHECKED_IN = "checked_in"
ALREADY_CHECKED_IN = "already_checked_in"

# How a check-in came about (in its audit entry).
BY_SCAN = "scan"
BY_HAND = "hand"
BY_WALK_IN = "walk_in"


@dataclass(frozen=True)
class CheckInResult:
    status: str
    checkin: CheckIn  # this scan's check-in, or the first one when already checked in
    created: bool


@dataclass(frozen=True)
class Staffer:
    """Who lets the attendee in: the audit log's name for them, their account (none for a token)
    and the door they stand at."""

    actor: str
    account_id: int | None
    door: str


async def check_in(event: Event, attendee: Attendee, client_id: str, staffer: Staffer, *, badge_version: int,
                   method: str) -> CheckInResult:
    # No transaction around the check-in and its audit entry: on SQLite a transaction holds the
    # one connection across all its round trips, and during a programme change's fan-out each of
    # the doors' check-ins (20/s) held it for 40-90 ms while every scan waited (bench/soak.py).
    # The INSERT comes first, as a lead's does: most badges at the door are let in for the first
    # time, and the unique keys (one check-in per attendee, migration 0010; one per client_id)
    # answer for a badge already in, a replay, or two doors scanning the same badge at once, so
    # only those ask which it was. The entry follows, so a crash in between loses the entry, never
    # the check-in.
    try:
        async with on_its_own():
            checkin = await CheckIn.create(event_id=event.id, attendee_id=attendee.id, client_id=client_id,
                                           badge_version=badge_version, door=staffer.door,
                                           account_id=staffer.account_id, checked_in_at=datetime.now(UTC))
    except IntegrityError:  # the other door was first, or the client_id is another attendee's
        earlier = await _earlier(attendee, client_id)
        if earlier is None:
            raise client_id_taken(client_id) from None
        return earlier
    await record(event, staffer.actor, "checkin.created", attendee, method=method, door=staffer.door,
                 badge_version=badge_version, name=attendee.name)
    return CheckInResult(CHECKED_IN, checkin, created=True)


async def _earlier(attendee: Attendee, client_id: str) -> CheckInResult | None:
    """The answer when this scan was seen before (a replay) or the attendee is already in."""
    found = await CheckIn.filter(Q(client_id=client_id) | Q(attendee_id=attendee.id)).order_by("checked_in_at", "id")
    replay = next((c for c in found if c.client_id == client_id), None)
    if replay is not None:
        if replay.attendee_id != attendee.id:
            raise client_id_taken(client_id)
        return CheckInResult(CHECKED_IN, replay, created=False)
    return CheckInResult(ALREADY_CHECKED_IN, found[0], created=False) if found else None
