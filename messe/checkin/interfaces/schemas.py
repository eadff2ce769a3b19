"""JSON shapes of the check-in API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from messe.checkin.domain.checkins import CheckInResult
from messe.checkin.domain.counts import CheckInCounts
from messe.checkin.domain.desk import Found
from messe.people.interfaces.schemas import AttendeeDetails
from messe.people.models import Attendee
from messe.scanning.interfaces.api import ClientId, Payload


class CheckInIn(BaseModel):
    """A scanned badge (``payload``) or, at the desk, a person found by search (``attendee_id``)."""

    model_config = ConfigDict(extra="forbid")

    payload: Payload | None = None
    attendee_id: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                    description="Check in by hand: the attendee_id from /api/checkins/search")
    client_id: ClientId
    door: str = Field(default="", max_length=80, description="Which door; the staffer's name when empty")

    @model_validator(mode="after")
    def _one_way(self) -> CheckInIn:
        if (self.payload is None) == (self.attendee_id is None):
            raise ValueError("Send enten payload (et skannet badge) eller attendee_id (fundet ved skranken)")
        return self


class CheckedInVisitor(BaseModel):
    id: int
    name: str
    organisation: str


class CheckInOut(BaseModel):
    status: Literal["checked_in", "already_checked_in"]
    checked_in_at: datetime = Field(description="When the attendee was let in (the first time)")
    door: str = Field(description="Where the attendee was let in (the first time)")
    attendee: CheckedInVisitor

    @classmethod
    def of(cls, result: CheckInResult, attendee: Attendee) -> CheckInOut:
        """``attendee`` with its organisation fetched."""
        return cls(status=result.status, checked_in_at=result.checkin.checked_in_at, door=result.checkin.door,
                   attendee=CheckedInVisitor(id=attendee.id, name=attendee.name,
                                             organisation=attendee.organisation.name if attendee.organisation
                                             else ""))


class DeskPerson(BaseModel):
    """What the door desk shows of a person found: what their badge prints and the check-in state."""

    attendee_id: int
    name: str
    organisation: str
    checked_in_at: datetime | None = Field(description="When the attendee was first let in; null when not yet")
    badge_version: int = Field(description="The current badge's version; a reprint makes the next one")

    @classmethod
    def of(cls, found: Found) -> DeskPerson:
        return cls(attendee_id=found.attendee_id, name=found.name, organisation=found.organisation,
                   checked_in_at=found.checked_in_at, badge_version=found.badge_version)


class DeskSearchOut(BaseModel):
    items: list[DeskPerson]


class CheckInCountsOut(BaseModel):
    checked_in: int = Field(description="Attendees checked in (each counted once)")
    registered: int = Field(description="Registered attendees, walk-ins included")
    by_door: dict[str, int] = Field(description="Check-ins per door")

    @classmethod
    def of(cls, counts: CheckInCounts) -> CheckInCountsOut:
        return cls(checked_in=counts.checked_in, registered=counts.registered, by_door=counts.by_door)


class WalkInForm(AttendeeDetails):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    client_id: ClientId
    door: str = Field(default="", max_length=80)
