"""Importing a frab programme into an event's draft: rooms become stages, tracks tracks, persons
speakers and talks draft talks. Nothing is published; the organiser checks and publishes.

Records are matched by code (and stages and tracks also by name), so importing a newer export of
the same conference updates the drafts the last import created. All of it happens in one
transaction, under the event lock that every programme edit takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.models import Model

from messe.common.audit import record
from messe.common.models import Event
from messe.common.refusal import Problem
from messe.common.unit_of_work import unit_of_work
from messe.programme.domain.changelog import lock_event
from messe.programme.domain.frab_import import CODE_LENGTH, FrabSchedule, FrabTalk, code_part
from messe.programme.domain.rules import Slot, check_slot
from messe.programme.domain.slots import draft_slots
from messe.programme.models import Speaker, Stage, Talk, TalkState, Track


@dataclass(frozen=True)
class Counts:
    """How many records an import creates and how many it finds already there, per kind."""

    stages: tuple[int, int]
    tracks: tuple[int, int]
    speakers: tuple[int, int]
    talks: tuple[int, int]


@dataclass(frozen=True)
class Clash:
    talk: str
    violation: Problem


class _ByName:
    """An event's stages or tracks, found by name (case-insensitive) or by code."""

    def __init__(self, records: list[Any]) -> None:
        self.by_name = {r.name.lower(): r for r in records}
        self.by_code = {r.code: r for r in records}

    def find(self, name: str) -> Any:
        return self.by_name.get(name.lower()) or self.by_code.get(code_part(name)[:CODE_LENGTH])

    def free_code(self, name: str) -> str:
        base = code_part(name)[:CODE_LENGTH - 3] or "x"
        code, n = base, 1
        while code in self.by_code:
            n += 1
            code = f"{base}-{n}"
        return code

    def add(self, item: Any) -> None:
        self.by_name[item.name.lower()] = item
        self.by_code[item.code] = item


async def _catalogues(event: Event) -> tuple[_ByName, _ByName, dict[str, Speaker], dict[str, Talk]]:
    return (_ByName(await Stage.filter(event=event)), _ByName(await Track.filter(event=event)),
            {s.code: s for s in await Speaker.filter(event=event)},
            {t.code: t for t in await Talk.filter(event=event)})


def _split(names: list[str], found: Any) -> tuple[int, int]:
    existing = sum(1 for n in names if found(n))
    return len(names) - existing, existing


async def count_records(event: Event, schedule: FrabSchedule) -> Counts:
    stages, tracks, speakers, talks = await _catalogues(event)
    return Counts(
        stages=_split([r.name for r in schedule.rooms], stages.find),
        tracks=_split([t.name for t in schedule.tracks], tracks.find),
        speakers=_split(list(schedule.persons), speakers.get),
        talks=_split([t.code for t in schedule.talks], talks.get),
    )


async def find_clashes(event: Event, schedule: FrabSchedule) -> list[Clash]:
    """The programme rules the imported drafts would break, among themselves and with the talks
    already in the event (outside opening hours, two talks on one stage, a speaker twice)."""
    stages, _, speakers, talks = await _catalogues(event)
    replaced = {talks[t.code].id for t in schedule.talks if t.code in talks}
    existing = [s for s in await draft_slots(event) if s.talk_id not in replaced]
    stage_ids = {}
    for n, room in enumerate(schedule.rooms, start=1):
        stage = stages.find(room.name)
        stage_ids[room.name] = (stage.id, stage.name) if stage else (-n, room.name)
    person_ids = {code: speakers[code].id if code in speakers else -n
                  for n, code in enumerate(schedule.persons, start=1)}
    slots = [Slot(talk_id=-n, title=t.title, starts_at=t.starts_at, ends_at=t.ends_at,
                  stage_id=stage_ids[t.room][0], stage_name=stage_ids[t.room][1],
                  speakers={person_ids[p]: schedule.persons[p].name for p in t.persons})
             for n, t in enumerate(schedule.talks, start=1)]
    return [Clash(slot.title, violation)
            for index, slot in enumerate(slots)
            for violation in check_slot(slot, slots[index + 1:] + existing, event.starts_at, event.ends_at,
                                        event.timezone)]


async def _ensure(model: type[Model], catalogue: _ByName, event: Event, name: str, **values: Any) -> Any:
    found = catalogue.find(name)
    if found is None:
        found = await model.create(event=event, code=catalogue.free_code(name), name=name, **values)
        catalogue.add(found)
    return found


async def _speaker(event: Event, speakers: dict[str, Speaker], code: str, name: str, bio: str) -> Speaker:
    speaker = speakers.get(code)
    if speaker is None:
        speaker = speakers[code] = await Speaker.create(event=event, code=code, name=name, bio=bio)
    elif (speaker.name, speaker.bio) != (name, bio or speaker.bio):
        speaker.name, speaker.bio = name, bio or speaker.bio
        await speaker.save(update_fields=["name", "bio"])
    return speaker


def _talk_values(talk: FrabTalk, stage: Stage, track: Track | None) -> dict[str, Any]:
    return {"title": talk.title, "abstract": talk.abstract, "language": talk.language,
            "starts_at": talk.starts_at, "ends_at": talk.ends_at, "stage": stage, "track": track}


async def import_programme(event_id: int, schedule: FrabSchedule, *, actor: str, filename: str = "") -> Counts:
    """Write ``schedule`` into the event's draft; the counts of what was created and updated."""
    async with unit_of_work():
        event = await lock_event(event_id)
        counts = await count_records(event, schedule)
        stages, tracks, speakers, talks = await _catalogues(event)
        positions = len(stages.by_code)
        for n, room in enumerate(schedule.rooms):
            await _ensure(Stage, stages, event, room.name, capacity=room.capacity, position=positions + n)
        for track in schedule.tracks:
            await _ensure(Track, tracks, event, track.name, **({"color": track.color} if track.color else {}))
        people = {code: await _speaker(event, speakers, code, p.name, p.biography)
                  for code, p in schedule.persons.items()}
        for item in schedule.talks:
            values = _talk_values(item, stages.find(item.room), tracks.find(item.track) if item.track else None)
            talk = talks.get(item.code)
            if talk is None:
                talk = await Talk.create(event=event, code=item.code, state=TalkState.DRAFT, **values)
            else:
                talk.update_from_dict({**values, "revision": talk.revision + 1})
                await talk.save()
                await talk.speakers.clear()
            if item.persons:
                await talk.speakers.add(*(people[p] for p in item.persons))
        await record(event, actor, "programme.imported", None, filename=filename, conference=schedule.acronym,
                     talks_created=counts.talks[0], talks_updated=counts.talks[1])
    return counts
