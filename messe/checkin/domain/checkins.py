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
from messe.common.unit_of_work import lock_rows, serial_transactions, unit_of_work
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
    # Where rows lock, a repeat is answered before taking the lock; where transactions are
    # serial, the check inside is enough and this one would only cost a round trip.
    if not serial_transactions(CheckIn):
        earlier = await _earlier(attendee, client_id)
        if earlier is not None:
            return earlier
    try:
        async with unit_of_work():
            # Two doors scanning the same badge at once: the row lock lets one of them in first.
            await lock_rows(Attendee, id=attendee.id)
            earlier = await _earlier(attendee, client_id)
            if earlier is not None:
                return earlier
            checkin = await CheckIn.create(event_id=event.id, attendee_id=attendee.id, client_id=client_id,
                                           badge_version=badge_version, door=staffer.door,
                                           account_id=staffer.account_id, checked_in_at=datetime.now(UTC))
            await record(event, staffer.actor, "checkin.created", attendee, method=method, door=staffer.door,
                         badge_version=badge_version, name=attendee.name)
    except IntegrityError:  # the same client_id for another attendee at the same moment
        raise client_id_taken(client_id) from None
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
