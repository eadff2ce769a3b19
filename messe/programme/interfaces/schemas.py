"""JSON shapes of the programme API (they also make up its part of the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, RootModel

from messe.web.api import MAX_ID, PatchBody

RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"
LANGUAGE_PATTERN = r"^[a-z]{2}$"
TalkStateName = Literal["draft", "published", "cancelled"]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Patch(_Input, PatchBody):
    pass


# Output


class StageRef(BaseModel):
    id: int
    code: str
    name: str
    hall: str


class TrackRef(BaseModel):
    id: int
    code: str
    name: str
    color: str


class SpeakerRef(BaseModel):
    id: int
    code: str
    name: str
    organisation: str


class _TalkFields(BaseModel):
    id: int
    code: str
    title: str
    abstract: str
    language: str
    starts_at: datetime
    ends_at: datetime


class TalkOut(_TalkFields):
    """A talk as attendees see it (the published snapshot)."""

    state: Literal["published", "cancelled"]
    stage: StageRef | None
    track: TrackRef | None
    speakers: list[SpeakerRef]
    sequence: int = Field(description="How often the published talk has changed (iCalendar SEQUENCE)")
    changed_at: datetime


class TalkDraftOut(_TalkFields):
    """A talk as organisers edit it, with what attendees see now in ``published``."""

    state: TalkStateName
    stage_id: int | None
    track_id: int | None
    speaker_ids: list[int]
    revision: int = Field(description="Bumped on every edit; the ETag for If-Match")
    published: TalkOut | None
    pending: bool = Field(description="The draft has changes attendees do not see yet")


class TalkView(RootModel[TalkOut | TalkDraftOut]):
    """A talk as attendees see it, or, with ``?draft=1``, as organisers edit it."""


class StageOut(BaseModel):
    id: int
    code: str
    name: str
    hall: str
    capacity: int
    position: int


class TrackOut(BaseModel):
    id: int
    code: str
    name: str
    color: str


class SpeakerOut(BaseModel):
    id: int
    code: str
    name: str
    organisation: str
    job_title: str
    bio: str


class AnnouncementMessage(BaseModel):
    title: str
    body: str
    level: Literal["info", "urgent"]


class ChangeOut(BaseModel):
    seq: int
    kind: Literal["added", "moved", "retimed", "restaged", "cancelled", "updated", "announcement"]
    talk_id: int | None
    talk: TalkOut | None = Field(description="The talk after the change")
    before: TalkOut | None = Field(description="The talk before the change")
    message: AnnouncementMessage | None
    version: str
    at: datetime
    summary: str


class ChangesOut(BaseModel):
    items: list[ChangeOut]
    last_seq: int
    more: bool = Field(description="More entries follow; ask again with since = the last seq received")


class ReleaseOut(BaseModel):
    version: str
    comment: str
    seq: int
    changes: int
    created_at: datetime


class LiveStatusOut(BaseModel):
    broker: str
    broker_connected: bool
    connections: int = Field(description="Websocket connections to this event on the answering process")
    all_connections: int = Field(description="Websocket connections to this event on every process, as each "
                                             "reported in the last few seconds (through Redis)")
    processes: int = Field(description="Server processes counted in all_connections")
    last_seq: int | None


# Input


class TalkIn(_Input):
    code: str | None = Field(default=None, pattern=CODE_PATTERN, description="Generated when left out")
    title: str = Field(min_length=1, max_length=300)
    abstract: str = Field(default="", max_length=20000)
    language: str = Field(default="da", pattern=LANGUAGE_PATTERN)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    stage_id: RecordId | None = None
    track_id: RecordId | None = None
    speaker_ids: list[RecordId] = Field(default_factory=list, max_length=20)
    state: TalkStateName = "published"
    draft: bool = Field(default=False, description="Only change the draft; publish later with POST /api/publish")

    def values(self) -> dict[str, Any]:
        return self.model_dump(exclude={"draft"})


class TalkPatch(_Patch):
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"stage_id", "track_id"})

    code: str | None = Field(default=None, pattern=CODE_PATTERN)
    title: str | None = Field(default=None, min_length=1, max_length=300)
    abstract: str | None = Field(default=None, max_length=20000)
    language: str | None = Field(default=None, pattern=LANGUAGE_PATTERN)
    starts_at: AwareDatetime | None = Field(default=None, description="Alone, it moves the talk and keeps its length")
    ends_at: AwareDatetime | None = None
    stage_id: RecordId | None = None
    track_id: RecordId | None = None
    speaker_ids: list[RecordId] | None = Field(default=None, max_length=20)
    state: TalkStateName | None = Field(default=None, description="'cancelled' cancels the talk")
    draft: bool = Field(default=False, description="Only change the draft; publish later with POST /api/publish")

    def values(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"draft"})


class StageIn(_Input):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=120)
    hall: str = Field(default="", max_length=20)
    capacity: int = Field(default=0, ge=0, le=1_000_000)
    position: int | None = Field(default=None, ge=0, le=10_000)


class StagePatch(_Patch):
    code: str | None = Field(default=None, pattern=CODE_PATTERN)
    name: str | None = Field(default=None, min_length=1, max_length=120)
    hall: str | None = Field(default=None, max_length=20)
    capacity: int | None = Field(default=None, ge=0, le=1_000_000)
    position: int | None = Field(default=None, ge=0, le=10_000)


class AnnouncementIn(_Input):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=2000)
    level: Literal["info", "urgent"] = "info"
    talk_id: RecordId | None = None


class PublishIn(_Input):
    version: str = Field(min_length=1, max_length=80)
    comment: str = Field(default="", max_length=2000)
