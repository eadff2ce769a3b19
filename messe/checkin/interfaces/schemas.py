"""JSON shapes of the check-in API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from messe.checkin.domain.checkins import CheckInResult
from messe.checkin.domain.counts import CheckInCounts
from messe.checkin.interfaces.scanning import ClientId, Payload
from messe.people.interfaces.schemas import AttendeeDetails
from messe.people.models import Attendee


class CheckInIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payload: Payload
    client_id: ClientId
    door: str = Field(default="", max_length=80, description="Which door; the staffer's name when empty")


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
