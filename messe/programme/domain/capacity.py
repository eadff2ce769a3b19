"""Talks starred by more attendees than their stage seats, each with a way out: a larger stage that
is free at the same time (the smallest one that seats everybody, else the largest), or, when none
is, a quieter talk in a larger hall at the same time to swap stages with."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from messe.common.models import Event
from messe.programme.domain.rules import Slot
from messe.programme.domain.slots import draft_slots
from messe.programme.domain.stars import StarLoad, star_counts, star_loads
from messe.programme.models import Stage, Talk, TalkState


@dataclass(frozen=True)
class Crowded:
    load: StarLoad
    suggestion: Stage | None  # a larger stage free at the talk's time
    swap: Talk | None = None  # else: a talk on a larger stage that fits on this one (stage fetched)
    swap_stars: int = 0


def _free(stage_id: int, during: Slot, busy: Iterable[Slot], leaving: set[int]) -> bool:
    """No talk but those ``leaving`` it uses the stage during ``during``."""
    return not any(slot.stage_id == stage_id and slot.talk_id not in leaving and slot.overlaps(during)
                   for slot in busy)


def _seats_for(stars: int, capacities: list[tuple[int, int]]) -> int | None:
    """Of (capacity, id) pairs, the id of the smallest that seats ``stars``, else of the largest."""
    if not capacities:
        return None
    ordered = sorted(capacities)
    return next((ident for capacity, ident in ordered if capacity >= stars), ordered[-1][1])


def suggest_stage(load: StarLoad, stages: Iterable[Stage], busy: Iterable[Slot]) -> Stage | None:
    """A stage with more seats than the talk's that no other talk uses during it."""
    talk = load.talk
    slot = Slot(talk.id, talk.title, talk.starts_at, talk.ends_at)
    busy = list(busy)
    larger = {s.id: s for s in stages if s.capacity > load.capacity and _free(s.id, slot, busy, {talk.id})}
    chosen = _seats_for(load.stars, [(s.capacity, s.id) for s in larger.values()])
    return larger[chosen] if chosen is not None else None


def suggest_swap(load: StarLoad, stages: Iterable[Stage], busy: Iterable[Slot], stars: dict[int, int],
                 published: set[int]) -> int | None:
    """The id of a published talk (one of ``published``) on a larger stage at the same time, with no
    more stars than this stage seats, that can trade stages with this talk without meeting a third
    talk on either."""
    talk = load.talk
    capacity = {s.id: s.capacity for s in stages}
    busy = list(busy)
    here = next((slot for slot in busy if slot.talk_id == talk.id), None)
    if here is None or here.stage_id is None:
        return None
    options = []
    for other in busy:
        if other.talk_id == talk.id or other.talk_id not in published or other.stage_id is None:
            continue
        if not other.overlaps(here) or capacity.get(other.stage_id, 0) <= load.capacity:
            continue  # not at the same time, or not a larger stage
        if stars.get(other.talk_id, 0) > load.capacity:
            continue  # its own audience would not fit on this stage
        leaving = {talk.id, other.talk_id}
        if _free(other.stage_id, here, busy, leaving) and _free(here.stage_id, other, busy, leaving):
            options.append((capacity[other.stage_id], stars.get(other.talk_id, 0), other.talk_id))
    chosen = _seats_for(load.stars, [(seats, (quiet, ident)) for seats, quiet, ident in options])
    return chosen[1] if chosen is not None else None


async def crowded_talks(event: Event) -> list[Crowded]:
    crowded = [load for load in await star_loads(event) if load.over_capacity]
    if not crowded:
        return []
    stages = await Stage.filter(event=event)
    busy = await draft_slots(event)
    stars = await star_counts(event)
    published = set(await Talk.filter(event=event, state=TalkState.PUBLISHED).values_list("id", flat=True))
    found = []
    for load in crowded:
        suggestion = suggest_stage(load, stages, busy)
        swap_id = None if suggestion else suggest_swap(load, stages, busy, stars, published)
        found.append((load, suggestion, swap_id))
    swaps = {t.id: t for t in await Talk.filter(id__in=[s for _, _, s in found if s]).select_related("stage")}
    return [Crowded(load, suggestion, swaps.get(swap_id), stars.get(swap_id, 0)) for load, suggestion, swap_id in found]
