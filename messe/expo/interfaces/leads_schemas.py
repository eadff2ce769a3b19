"""JSON shapes of the lead API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from messe.expo.domain.leads import contact_of
from messe.expo.interfaces.schemas import LeadTag
from messe.expo.models import Lead
from messe.scanning.interfaces.api import ClientId, Payload


class LeadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payload: Payload
    client_id: ClientId
    notes: str = Field(default="", max_length=5000)
    rating: int = Field(default=0, ge=0, le=5)
    tags: list[LeadTag] = Field(default_factory=list, max_length=20)


class LeadPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notes: str | None = Field(default=None, max_length=5000)
    rating: int | None = Field(default=None, ge=0, le=5)
    tags: list[LeadTag] | None = Field(default=None, max_length=20)


class LeadVisitor(BaseModel):
    id: int
    name: str
    organisation: str
    job_title: str
    contact_shared: bool = Field(description="False: the visitor has not agreed to share e-mail and phone")
    email: str | None
    phone: str | None


class LeadOut(BaseModel):
    id: int
    client_id: str
    attendee: LeadVisitor
    badge_version: int
    notes: str
    rating: int
    tags: list[str]
    scanned_by: str | None
    scanned_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, lead: Lead) -> LeadOut:
        """``lead`` as ``leads_of`` fetches it."""
        attendee = lead.attendee
        contact = contact_of(attendee)
        return cls(
            id=lead.id, client_id=lead.client_id,
            attendee=LeadVisitor(id=attendee.id, name=attendee.name,
                                 organisation=attendee.organisation.name if attendee.organisation else "",
                                 job_title=attendee.job_title, contact_shared=contact.shared,
                                 email=contact.email, phone=contact.phone),
            badge_version=lead.badge_version, notes=lead.notes, rating=lead.rating, tags=list(lead.tags),
            scanned_by=lead.scanned_by.name if lead.scanned_by else None, scanned_at=lead.scanned_at,
            updated_at=lead.updated_at)
