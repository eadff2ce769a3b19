"""What an organiser sees of a talk when editing it, and what differs between two such views.

The editor keeps the facts it showed in the form (``encode``); when the save is refused because
someone else changed the talk meanwhile, :func:`differences` between those facts and the talk as
it is now says what changed. The same comparison describes a proposed move in its preview.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from messe.common.models import AuditEntry, Event
from messe.programme.models import Stage, Talk

# The fields compared, in the order they are shown.
FIELDS = ("title", "starts_at", "ends_at", "stage", "state", "speakers")


@dataclass(frozen=True)
class TalkFacts:
    title: str
    starts_at: datetime
    ends_at: datetime
    stage: str  # the stage's name; "" for none
    state: str
    speakers: tuple[str, ...] = ()

    def encode(self) -> str:
        return json.dumps({"title": self.title, "starts_at": self.starts_at.isoformat(),
                           "ends_at": self.ends_at.isoformat(), "stage": self.stage, "state": self.state,
                           "speakers": list(self.speakers)}, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> TalkFacts | None:
        """The facts a form carried; None when the text is not such facts (they only explain)."""
        try:
            data = json.loads(text)
            starts_at, ends_at = datetime.fromisoformat(data["starts_at"]), datetime.fromisoformat(data["ends_at"])
            speakers = tuple(str(name) for name in data["speakers"])
            return cls(str(data["title"]), starts_at, ends_at, str(data["stage"]), str(data["state"]), speakers)
        except (ValueError, KeyError, TypeError):
            return None

    def moved(self, starts_at: datetime, ends_at: datetime, stage: Stage | None, state: str) -> TalkFacts:
        return replace(self, starts_at=starts_at, ends_at=ends_at, stage=stage.name if stage else "", state=state)

    def edited(self, title: str, speakers: Iterable[str]) -> TalkFacts:
        return replace(self, title=title, speakers=tuple(sorted(speakers)))


@dataclass(frozen=True)
class Difference:
    field: str  # one of FIELDS
    before: Any
    after: Any


def facts_of(talk: Talk) -> TalkFacts:
    """``talk.stage`` and ``talk.speakers`` must be fetched."""
    return TalkFacts(title=talk.title, starts_at=talk.starts_at, ends_at=talk.ends_at,
                     stage=talk.stage.name if talk.stage else "", state=talk.state,
                     speakers=tuple(sorted(s.name for s in talk.speakers)))


def differences(before: TalkFacts, after: TalkFacts) -> list[Difference]:
    return [Difference(name, getattr(before, name), getattr(after, name))
            for name in FIELDS if getattr(before, name) != getattr(after, name)]


@dataclass(frozen=True)
class Edit:
    actor: str
    at: datetime


async def last_edit(event: Event, talk_id: int) -> Edit | None:
    """Who last saved the talk, and when (from the audit log)."""
    entry = await AuditEntry.filter(event=event, object_type="Talk", object_id=str(talk_id)).order_by("-id").first()
    return Edit(entry.actor, entry.created_at) if entry else None
