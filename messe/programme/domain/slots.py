"""Reading the programme as rule-checkable slots: the draft as organisers edit it, or the
published programme as attendees see it."""

from __future__ import annotations

from datetime import datetime

from messe.common.models import Event
from messe.programme.domain.rules import Slot
from messe.programme.domain.snapshot import Snapshot, parse_time
from messe.programme.models import Speaker, Talk, TalkState


def draft_slot(talk: Talk, speakers: list[Speaker] | None = None) -> Slot:
    """``talk.stage`` must be fetched, and ``talk.speakers`` unless ``speakers`` is given."""
    return Slot(talk_id=talk.id, title=talk.title, starts_at=talk.starts_at, ends_at=talk.ends_at,
                stage_id=talk.stage.id if talk.stage else None, stage_name=talk.stage.name if talk.stage else "",
                speakers={s.id: s.name for s in (talk.speakers if speakers is None else speakers)})


def public_slot(snapshot: Snapshot) -> Slot:
    stage = snapshot.get("stage")
    return Slot(talk_id=snapshot["id"], title=snapshot["title"], starts_at=parse_time(snapshot["starts_at"]),
                ends_at=parse_time(snapshot["ends_at"]), stage_id=stage["id"] if stage else None,
                stage_name=stage["name"] if stage else "",
                speakers={s["id"]: s["name"] for s in snapshot.get("speakers", [])})


async def draft_slots(event: Event, during: tuple[datetime, datetime] | None = None,
                      exclude: int | None = None) -> list[Slot]:
    """Every talk in the draft that occupies its stage (all but the cancelled ones), or those of
    them that overlap ``during``."""
    talks = Talk.filter(event=event).exclude(state=TalkState.CANCELLED)
    if during is not None:
        talks = talks.filter(starts_at__lt=during[1], ends_at__gt=during[0])
    if exclude is not None:
        talks = talks.exclude(id=exclude)
    # Plain rows, not models: a move checks its rules before it is written, and every phone waits.
    slots: dict[int, Slot] = {}
    for row in await talks.values("id", "title", "starts_at", "ends_at", "stage_id", "stage__name",
                                  "speakers__id", "speakers__name"):
        slot = slots.get(row["id"])
        if slot is None:
            slot = slots[row["id"]] = Slot(talk_id=row["id"], title=row["title"], starts_at=row["starts_at"],
                                           ends_at=row["ends_at"], stage_id=row["stage_id"],
                                           stage_name=row["stage__name"] or "", speakers={})
        if row["speakers__id"] is not None:
            slot.speakers[row["speakers__id"]] = row["speakers__name"]
    return list(slots.values())


async def public_slots(event: Event) -> list[Slot]:
    """Every published talk that is not cancelled, as attendees see it."""
    snapshots = await Talk.filter(event=event, published__isnull=False).values_list("published", flat=True)
    return [public_slot(s) for s in snapshots if s and s["state"] != TalkState.CANCELLED]
