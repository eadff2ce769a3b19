"""What each admin form may contain. Empty text fields arrive as "" and stay "" unless required."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from messe.people.domain.passwords import MIN_PASSWORD_LENGTH
from messe.people.interfaces.schemas import EMAIL_PATTERN, AttendeeIn, RoleName

CODE = r"^[a-z0-9][a-z0-9_-]*$"
OrganisationKindName = Literal["kommune", "region", "statslig myndighed", "virksomhed", "andet"]
AccountRoleName = Literal["organiser", "door", "exhibitor"]
RecordId = Annotated[int, Field(ge=1, le=2**31 - 1)]  # bounded: the databases' integer ids
# A <select> whose empty option means "none".
OptionalId = Annotated[RecordId | None, BeforeValidator(lambda value: None if value == "" else value)]


class Form(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class StageForm(Form):
    code: str = Field(min_length=1, max_length=40, pattern=CODE)
    name: str = Field(min_length=1, max_length=120)
    hall: str = Field(default="", max_length=20)
    capacity: int = Field(ge=0, le=100_000)
    position: int = Field(default=0, ge=0, le=1000)


class TrackForm(Form):
    code: str = Field(min_length=1, max_length=40, pattern=CODE)
    name: str = Field(min_length=1, max_length=120)
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")


class SpeakerForm(Form):
    code: str = Field(min_length=1, max_length=40, pattern=CODE)
    name: str = Field(min_length=1, max_length=200)
    organisation: str = Field(default="", max_length=200)
    job_title: str = Field(default="", max_length=200)
    bio: str = Field(default="", max_length=5000)
    email: str = Field(default="", max_length=254, pattern=EMAIL_PATTERN)
    language: Literal["", "da", "en"] = ""  # "": the talk's language


class OrganisationForm(Form):
    name: str = Field(min_length=1, max_length=200)
    kind: OrganisationKindName


class ExhibitorForm(Form):
    name: str = Field(min_length=1, max_length=200)
    stand: str = Field(min_length=1, max_length=12, pattern=r"^[A-Za-z0-9-]+$")
    hall: str = Field(default="", max_length=20)
    description: str = Field(default="", max_length=5000)
    website: str = Field(default="", max_length=300, pattern=r"^$|^https?://\S+$")

    @field_validator("stand")
    @classmethod
    def upper(cls, value: str) -> str:
        return value.upper()


class AttendeeForm(AttendeeIn):
    """The API's attendee rules; a form may also carry fields (the CSRF token) that are not the attendee's."""

    model_config = Form.model_config


class PasswordForm(Form):
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=1000)


class LoginForm(PasswordForm):
    username: str = Field(min_length=1, max_length=120, pattern=r"^\S+$")
    name: str = Field(default="", max_length=200)


class AccountForm(LoginForm):
    role: AccountRoleName
    exhibitor_id: OptionalId = None


class StaffForm(LoginForm):
    email: str = Field(default="", max_length=254, pattern=EMAIL_PATTERN)


class TokenForm(Form):
    name: str = Field(min_length=1, max_length=120)
    role: AccountRoleName
    exhibitor_id: OptionalId = None


class MailForm(Form):
    language: Literal["", "da", "en"] = ""  # "": each attendee's own language


def _wall_clock(value: object) -> datetime:
    """A datetime-local field ("2026-11-27T10:30"), read as the event's wall-clock time."""
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is not None:
        raise ValueError("Skriv dato og klokkeslæt som 2026-11-27T10:30")
    return moment


class PlacementForm(Form):
    """When and where a talk takes place, its state in the draft, and whether to publish at once."""

    starts_at: Annotated[datetime, BeforeValidator(_wall_clock)]
    duration: int = Field(ge=5, le=24 * 60)
    stage_id: OptionalId = None
    state: Literal["draft", "published", "cancelled"]
    publish: bool = False  # "Offentliggør nu"; otherwise the change waits in the draft


class MoveForm(PlacementForm):
    """A change of an existing talk as the organiser saw it (its revision and facts)."""

    revision: int = Field(ge=0, le=2**31 - 1)
    seen: str = Field(default="", max_length=10_000)


class ContentForm(Form):
    """What a talk is about and who gives it; on an edit, a field left out stays as it is."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    abstract: str | None = Field(default=None, max_length=20_000)
    language: Literal["da", "en"] | None = None
    track_id: OptionalId = None
    speaker_ids: list[RecordId] | None = Field(default=None, max_length=20)
    new_speaker_name: str = Field(default="", max_length=200)
    new_speaker_organisation: str = Field(default="", max_length=200)


class TalkForm(MoveForm, ContentForm):
    """The talk page: every field of an existing talk (the grid's move sends only the placement)."""


class NewTalkForm(PlacementForm, ContentForm):
    title: str = Field(min_length=1, max_length=300)
    state: Literal["draft", "published"] = "published"


class PublishForm(Form):
    version: str = Field(min_length=1, max_length=80)
    comment: str = Field(default="", max_length=2000)


class AnnouncementForm(Form):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=2000)
    level: Literal["info", "urgent"] = "info"
    talk_id: OptionalId = None


class BadgeForm(Form):
    role: Literal[""] | RoleName = ""
    organisation: str = Field(default="", max_length=200)
    unprinted: bool = False
    layout: str = Field(default="a6", max_length=80)


class SwapForm(Form):
    """Two talks trading stages, each as the organiser saw it (its revision)."""

    talk: int = Field(ge=1, le=2**31 - 1)
    other: int = Field(ge=1, le=2**31 - 1)
    talk_revision: int = Field(default=0, ge=0, le=2**31 - 1)
    other_revision: int = Field(default=0, ge=0, le=2**31 - 1)
