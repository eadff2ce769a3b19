"""JSON shapes of the people API."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from messe.people.models import Attendee
from messe.web.api import PatchBody

RoleName = Literal["deltager", "udstiller", "taler", "presse", "arrangør"]
Language = Literal["da", "en"]
EMAIL_PATTERN = r"^$|^[^@\s\u0000]+@[^@\s\u0000]+\.[^@\s\u0000]+$"  # no NUL, as in all request text


class AttendeeDetails(BaseModel):
    """What a person tells about themselves: the rules shared by the API, the admin form and the
    door's walk-in form."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    email: str = Field(default="", max_length=254, pattern=EMAIL_PATTERN)
    phone: str = Field(default="", max_length=40)
    organisation: str = Field(default="", max_length=200)
    job_title: str = Field(default="", max_length=200)
    consent_share_contact: bool = False
    language: Language = Field(default="da", description="Mails and the app in Danish or English")


class AttendeeIn(AttendeeDetails):
    role: RoleName = "deltager"


class AttendeePatch(PatchBody):
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"email", "phone", "organisation", "job_title"})  # null: empty

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)
    phone: str | None = Field(default=None, max_length=40)
    organisation: str | None = Field(default=None, max_length=200)
    job_title: str | None = Field(default=None, max_length=200)
    role: RoleName | None = None
    consent_share_contact: bool | None = None
    language: Language | None = None


class AttendeeOut(BaseModel):
    id: int
    name: str
    email: str
    phone: str
    organisation: str
    job_title: str
    role: RoleName
    consent_share_contact: bool
    language: Language
    badge_version: int

    @classmethod
    def of(cls, attendee: Attendee) -> AttendeeOut:
        org = attendee.organisation
        return cls(
            id=attendee.id, name=attendee.name, email=attendee.email, phone=attendee.phone,
            organisation=org.name if org is not None else "", job_title=attendee.job_title,
            role=attendee.role, consent_share_contact=attendee.consent_share_contact,
            language=attendee.language, badge_version=attendee.badge_version,
        )


class OrganisationOut(BaseModel):
    id: int
    name: str
    kind: str
