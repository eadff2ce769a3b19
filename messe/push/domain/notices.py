"""What a push says: the changes attendees are told about on a closed phone, who is told, and the
message in each reader's language.

A push goes to the attendees who starred the talk when it is moved (in time or to another stage) or
cancelled, and for an announcement to those who starred the talk it is about, or to everyone when
it is about no talk. The message names the talk and its old and new time and place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from babel.dates import format_datetime

from messe.common.models import Event
from messe.i18n import format_clock, gettext_for, local_time
from messe.programme.domain.changelog import Kind
from messe.programme.domain.snapshot import Snapshot, parse_time
from messe.programme.domain.summary import NO_STAGE
from messe.programme.models import ScheduleChange
from messe.push.models import PushSubscription

TALK_KINDS = (Kind.MOVED, Kind.RETIMED, Kind.RESTAGED, Kind.CANCELLED)

TITLES = {
    Kind.MOVED: "Flyttet: {title}",
    Kind.RETIMED: "Nyt tidspunkt: {title}",
    Kind.RESTAGED: "Ny scene: {title}",
    Kind.CANCELLED: "Aflyst: {title}",
}
MOVED = "Nu kl. {start} på {stage} (før kl. {old_start} på {old_stage})"
CANCELLED = "Skulle have været kl. {old_start} på {old_stage}"
URGENT = "Vigtigt: {title}"
# Push services take at most 4,096 bytes per message; an announcement's text is cut to fit.
MAX_TEXT = 1000


@dataclass(frozen=True, slots=True)
class Delivery:
    """One push to one browser. ``topic`` lets the push service replace an undelivered older
    push about the same talk (RFC 8030 section 5.4)."""

    subscription_id: int
    endpoint: str
    p256dh: str
    auth: str
    payload: bytes
    topic: str


def _moment(value: str, other: str, event: Event, language: str) -> str:
    """The clock time, with the weekday when the talk changes day."""
    when, then = parse_time(value), parse_time(other)
    if local_time(when, event.timezone).date() == local_time(then, event.timezone).date():
        return format_clock(when, event.timezone, language)
    return format_datetime(local_time(when, event.timezone), "EEEE HH:mm", locale=language)


def _place(snapshot: Snapshot, language: str) -> str:
    stage = snapshot.get("stage")
    return stage["name"] if stage else gettext_for(language)(NO_STAGE)


def _where(snapshot: Snapshot, other: Snapshot, event: Event, language: str) -> dict[str, Any]:
    return {"starts_at": snapshot["starts_at"], "ends_at": snapshot["ends_at"],
            "start": _moment(snapshot["starts_at"], other["starts_at"], event, language),
            "end": _moment(snapshot["ends_at"], other["ends_at"], event, language),
            "stage": _place(snapshot, language)}


def topic_of(change: ScheduleChange) -> str:
    """What a newer push replaces: the news about one talk's time and place, or nothing (each
    announcement stands alone). Also the notification's tag on the phone."""
    return f"talk-{change.talk_id}" if change.kind in TALK_KINDS else f"news-{change.seq}"


def message(change: ScheduleChange, event: Event, language: str) -> dict[str, Any]:
    """The push's JSON for one reader: what the service worker shows, and the facts behind it."""
    _ = gettext_for(language)
    base = f"/{event.slug}/"
    talk: Snapshot | None = change.after
    data: dict[str, Any] = {"lang": language, "seq": change.seq, "kind": change.kind,
                            "url": f"{base}talks/{talk['id']}" if talk else base,
                            "tag": topic_of(change)}
    if change.kind == Kind.ANNOUNCEMENT:
        note = change.message or {}
        title = note.get("title", "")[:MAX_TEXT // 4]
        data.update(title=_(URGENT).format(title=title) if note.get("level") == "urgent" else title,
                    body=note.get("body", "")[:MAX_TEXT])
        if talk:
            data["talk"] = {"id": talk["id"], "title": talk["title"]}
        return data
    assert talk is not None and change.before is not None
    before, after = _where(change.before, talk, event, language), _where(talk, change.before, event, language)
    values = {"start": after["start"], "stage": after["stage"], "old_start": before["start"],
              "old_stage": before["stage"]}
    body = _(CANCELLED if change.kind == Kind.CANCELLED else MOVED).format(**values)
    data.update(title=_(TITLES[change.kind]).format(title=talk["title"]), body=body,
                talk={"id": talk["id"], "title": talk["title"]}, before=before, after=after)
    return data


def concerns_attendees(change: ScheduleChange) -> bool:
    return change.kind in TALK_KINDS or change.kind == Kind.ANNOUNCEMENT


async def deliveries(change: ScheduleChange, event: Event) -> list[Delivery]:
    """One delivery per subscription of everyone the change concerns."""
    if not concerns_attendees(change):
        return []
    found = PushSubscription.filter(attendee__event_id=event.id, attendee__erased_at=None)
    if change.talk_id is not None:
        found = found.filter(attendee__bookmarks__talk_id=change.talk_id)
    rows = await found.values("id", "endpoint", "p256dh", "auth", "attendee__language")
    payloads: dict[str, bytes] = {}
    topic = topic_of(change)
    result = []
    for row in rows:
        language = row["attendee__language"] if row["attendee__language"] == "en" else "da"
        if language not in payloads:
            payloads[language] = json.dumps(message(change, event, language), ensure_ascii=False).encode()
        result.append(Delivery(row["id"], row["endpoint"], row["p256dh"], row["auth"], payloads[language], topic))
    return result
