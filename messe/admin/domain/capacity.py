"""Talks starred by more attendees than their stage seats, each with a larger stage that is free
at the same time to move it to (the smallest one that seats everybody, else the largest)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from messe.admin.domain.stars import StarLoad, star_loads
from messe.programme.domain.rules import Slot
from messe.programme.domain.slots import draft_slots
from messe.programme.models import Event, Stage


@dataclass(frozen=True)
class Crowded:
    load: StarLoad
    suggestion: Stage | None  # a larger stage free at the talk's time


def suggest_stage(load: StarLoad, stages: Iterable[Stage], busy: Iterable[Slot]) -> Stage | None:
    """A stage with more seats than the talk's that no other talk uses during it."""
    talk = load.talk
    taken = {slot.stage_id for slot in busy
             if slot.talk_id != talk.id and slot.starts_at < talk.ends_at and talk.starts_at < slot.ends_at}
    larger = sorted((s for s in stages if s.capacity > load.capacity and s.id not in taken),
                    key=lambda s: (s.capacity, s.position, s.id))
    if not larger:
        return None
    return next((s for s in larger if s.capacity >= load.stars), larger[-1])


async def crowded_talks(event: Event) -> list[Crowded]:
    crowded = [load for load in await star_loads(event) if load.over_capacity]
    if not crowded:
        return []
    stages = await Stage.filter(event=event)
    busy = await draft_slots(event)
    return [Crowded(load, suggest_stage(load, stages, busy)) for load in crowded]
