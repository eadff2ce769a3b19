"""Publishing the whole draft as a named version (like a pretalx release), and announcements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from messe.common.audit import record as audit
from messe.common.refusal import Problem, Refusal, RefusalKind
from messe.common.unit_of_work import unit_of_work
from messe.programme.domain.changelog import Entry, Kind, lock_event, record
from messe.programme.domain.editing import publish_entry
from messe.programme.domain.rules import check_programme
from messe.programme.domain.slots import draft_slot
from messe.programme.models import ScheduleChange, ScheduleRelease, Talk, TalkState


@dataclass
class Release:
    release: ScheduleRelease
    changes: list[ScheduleChange]


async def publish_release(event_id: int, version: str, comment: str = "", *, actor: str = "") -> Release:
    """Make every talk's draft public as ``version``; one change-log row per talk that changed."""
    async with unit_of_work():
        event = await lock_event(event_id)
        if await ScheduleRelease.filter(event=event, version=version).exists():
            raise Refusal.conflict("Versionen '{version}' findes allerede", field="version", version=version)
        talks = await Talk.filter(event=event).prefetch_related("stage", "track", "speakers")
        public = [draft_slot(t) for t in talks if t.state == TalkState.PUBLISHED]
        clashes = check_programme(public, event.starts_at, event.ends_at, event.timezone)
        if clashes:
            raise Refusal(RefusalKind.INVALID, [Problem(v.template, v.values, f"talks.{slot.talk_id}.{v.field}")
                                                 for slot, v in clashes])
        now = datetime.now(UTC)
        entries = []
        for talk in talks:
            entry = publish_entry(talk, now)
            if entry is not None:
                talk.revision += 1
                await talk.save(update_fields=["published", "revision"])
                entries.append(entry)
        changes = await record(event, entries, version)
        event.published_version = version
        await event.save(update_fields=["published_version"])
        release = await ScheduleRelease.create(event=event, version=version, comment=comment, seq=event.last_seq)
        await audit(event, actor, "programme.published", release, version=version, changes=len(changes))
    return Release(release, changes)


async def announce(event_id: int, message: dict[str, Any], talk_id: int | None = None, *,
                   actor: str = "") -> ScheduleChange:
    """Send an announcement to every phone, optionally about a published talk."""
    async with unit_of_work():
        event = await lock_event(event_id)
        snapshot = None
        if talk_id is not None:
            talk = await Talk.get_or_none(id=talk_id, event=event)
            if talk is None or talk.published is None:
                raise Refusal.invalid("Foredraget findes ikke i det offentlige program", field="talk_id")
            snapshot = talk.published
        [change] = await record(event, [Entry(Kind.ANNOUNCEMENT, talk_id, after=snapshot, message=message)])
        await audit(event, actor, "programme.announced", change, title=message.get("title", ""))
    return change
