"""Editing talks, one function per use case: :func:`create_talk`, :func:`update_talk`,
:func:`move_talk`, :func:`cancel_talk`, :func:`publish_draft`, :func:`swap_stages` and
:func:`delete_talk`. A change waits in the talk's draft unless the caller publishes it at once
(the day-of-fair path).

Each runs in one unit of work that first locks the event row (changelog.lock_event), checks the
rules, writes the talk, its audit entry and, when it publishes, the change-log rows, which reach
the phones once the unit of work has committed. The first five share one core, :func:`_save`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from messe.common.audit import difference
from messe.common.audit import record as audit
from messe.common.models import Event
from messe.common.refusal import Problem, Refusal, RefusalKind
from messe.common.unit_of_work import unit_of_work
from messe.programme.domain.changelog import Entry, classify, lock_event, record
from messe.programme.domain.rules import Slot, check_slot
from messe.programme.domain.slots import draft_slot, draft_slots, public_slots
from messe.programme.domain.snapshot import Snapshot, talk_snapshot
from messe.programme.models import ScheduleChange, Speaker, Stage, Talk, TalkState, Track

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class Saved:
    """A talk after an edit, and the change-log rows the edit wrote (empty for a draft edit)."""

    talk: Talk
    changes: list[ScheduleChange] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)


def next_snapshot(talk: Talk, now: datetime | None = None, speakers: list[Speaker] | None = None) -> Snapshot | None:
    """What attendees will see once ``talk``'s draft is published; None while it is a draft."""
    if talk.state == TalkState.DRAFT:
        return None
    before = talk.published
    sequence = before.get("sequence", 0) + 1 if before else 0
    return talk_snapshot(talk, sequence=sequence, changed_at=now, speakers=speakers)


def publish_entry(talk: Talk, now: datetime | None = None, speakers: list[Speaker] | None = None) -> Entry | None:
    """Make the talk's draft public (sets ``talk.published``); the change-log entry, or None
    when attendees would not notice a difference."""
    before = talk.published
    after = next_snapshot(talk, now, speakers)
    kind = classify(before, after)
    if kind is None:
        return None
    talk.published = after
    return Entry(kind, talk.id, before, after)


def audit_facts(talk: Talk, speakers: list[Speaker]) -> dict[str, Any]:
    """What the audit log keeps of a talk to say what an edit did: its title, time and place, and
    the other values a reader compares (UTC times in ISO 8601, names rather than ids)."""
    def name(related: Any) -> str:
        return related.name if isinstance(related, (Stage, Track)) else ""

    return {"title": talk.title, "starts_at": talk.starts_at.isoformat() if talk.starts_at else None,
            "ends_at": talk.ends_at.isoformat() if talk.ends_at else None,
            "stage": name(getattr(talk, "stage", None)), "track": name(getattr(talk, "track", None)),
            "state": talk.state, "language": talk.language, "abstract": talk.abstract,
            "speakers": sorted(s.name for s in speakers)}


PLACE = ("title", "starts_at", "stage")  # kept in every talk entry, changed or not
PLACEMENT = frozenset({"starts_at", "ends_at", "stage_id"})  # what moving a talk changes


async def _new_code(event: Event, model: type[Talk] | type[Speaker] = Talk) -> str:
    """A random code like pretalx's (six capitals and digits), unique among the event's talks (or speakers)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if not await model.filter(event=event, code=code).exists():
            return code


async def _create_speakers(event: Event, people: list[dict[str, str]]) -> list[Speaker]:
    """The speakers an organiser adds on the spot while editing a talk ({"name", "organisation"});
    the talk's audit entry names them."""
    return [await Speaker.create(event=event, code=(await _new_code(event, Speaker)).lower(), name=person["name"],
                                 organisation=person.get("organisation", ""))
            for person in people]


async def _resolve(event: Event, talk: Talk, values: dict[str, Any]) -> list[Speaker] | None:
    """Apply ``values`` to ``talk``; the new speakers, or None when they do not change."""
    problems = []
    if "stage_id" in values:
        stage = None
        if values["stage_id"] is not None:
            stage = await Stage.get_or_none(id=values["stage_id"], event=event)
            if stage is None:
                problems.append(Problem("Scenen findes ikke", field="stage_id"))
        talk.stage = stage
    if "track_id" in values:
        track = None
        if values["track_id"] is not None:
            track = await Track.get_or_none(id=values["track_id"], event=event)
            if track is None:
                problems.append(Problem("Sporet findes ikke", field="track_id"))
        talk.track = track
    speakers = None
    if "speaker_ids" in values:
        wanted = set(values["speaker_ids"])
        speakers = await Speaker.filter(event=event, id__in=wanted) if wanted else []
        missing = wanted - {s.id for s in speakers}
        if missing:
            problems.append(Problem("Ukendte talere: {ids}", {"ids": ", ".join(str(i) for i in sorted(missing))},
                                    "speaker_ids"))
    if values.get("code") and values["code"] != talk.code:
        if await Talk.filter(event=event, code=values["code"]).exists():
            problems.append(Problem("Koden er allerede i brug", field="code"))
        talk.code = values["code"]
    if "state" in values:
        if values["state"] == TalkState.DRAFT and talk.published is not None:
            problems.append(Problem("Et offentliggjort foredrag kan ikke blive kladde igen; aflys det i stedet",
                                    field="state"))
        talk.state = values["state"]
    if "starts_at" in values and "ends_at" not in values and talk.id is not None:
        # Moving a talk keeps its length.
        talk.ends_at = values["starts_at"] + (talk.ends_at - talk.starts_at)
    for name in ("title", "abstract", "language", "starts_at", "ends_at"):
        if name in values:
            setattr(talk, name, values[name])
    if problems:
        raise Refusal(RefusalKind.INVALID, problems)
    return speakers


async def _check(event: Event, talk: Talk, speakers: list[Speaker], publish: bool,
                 alongside: Slot | None = None) -> None:
    """The rules for ``talk`` as it is now; ``alongside`` is another talk's new place, changed in
    the same transaction (it stands in for what the database still holds for that talk)."""
    if talk.state == TalkState.CANCELLED:
        return
    slot = draft_slot(talk, speakers)
    replaced = {talk.id} | ({alongside.talk_id} if alongside else set())
    extra = [alongside] if alongside else []
    others = await draft_slots(event, during=(talk.starts_at, talk.ends_at), exclude=talk.id)
    others = [s for s in others if s.talk_id not in replaced] + extra
    violations = check_slot(slot, others, event.starts_at, event.ends_at, event.timezone)
    if not violations and publish and talk.state == TalkState.PUBLISHED:
        # Other talks may have unpublished moves: the public programme must be consistent too.
        public = [s for s in await public_slots(event) if s.talk_id not in replaced] + extra
        violations = check_slot(slot, public, event.starts_at, event.ends_at, event.timezone)
    if violations:
        raise Refusal(RefusalKind.INVALID, violations)


async def create_talk(event_id: int, values: dict[str, Any], *, publish: bool, actor: str = "") -> Saved:
    """A new talk with ``values``, kept in the draft or published at once if ``publish``.
    ``values["new_speakers"]`` (``[{"name", "organisation"}]``) are created in the same unit of
    work and join the talk's speakers."""
    return await _save(event_id, None, values, publish=publish, actor=actor)


async def update_talk(event_id: int, talk_id: int, values: dict[str, Any], *, publish: bool,
                      revision: int | None = None, actor: str = "") -> Saved:
    """Change any of a talk's values (content, speakers, ``new_speakers`` as for
    :func:`create_talk`, time, stage, state) in its draft, and publish the draft at once if
    ``publish``. ``revision``, when given, must be the talk's current one (optimistic concurrency),
    as in every use case below."""
    return await _save(event_id, talk_id, values, publish=publish, revision=revision, actor=actor)


async def move_talk(event_id: int, talk_id: int, place: dict[str, Any], *, publish: bool,
                    revision: int | None = None, actor: str = "") -> Saved:
    """Give a talk a new ``starts_at``, ``ends_at`` or ``stage_id`` (a new start alone keeps its
    length), in the draft or published at once; the rules are checked at the new place."""
    if not place.keys() <= PLACEMENT:
        raise ValueError(f"moving a talk changes only {sorted(PLACEMENT)}, not {sorted(place.keys() - PLACEMENT)}")
    return await _save(event_id, talk_id, place, publish=publish, revision=revision, actor=actor)


async def cancel_talk(event_id: int, talk_id: int, *, publish: bool, revision: int | None = None,
                      actor: str = "") -> Saved:
    """Cancel a talk, in the draft or published at once."""
    return await _save(event_id, talk_id, {"state": TalkState.CANCELLED}, publish=publish, revision=revision,
                       actor=actor)


async def publish_draft(event_id: int, talk_id: int, *, revision: int | None = None, actor: str = "") -> Saved:
    """Make a talk's draft public as it is, changing nothing else (no change-log row when
    attendees would see no difference)."""
    return await _save(event_id, talk_id, {}, publish=True, revision=revision, actor=actor)


async def _save(event_id: int, talk_id: int | None, values: dict[str, Any], *, publish: bool,
                revision: int | None = None, actor: str = "") -> Saved:
    """Create (``talk_id`` None) or change a talk's draft, and publish it at once if ``publish``:
    the one path of the use cases above, from the rules to the audit entry."""
    values = dict(values)
    people = values.pop("new_speakers", [])
    async with unit_of_work():
        event = await lock_event(event_id)
        if talk_id is None:
            talk = Talk(event=event, code="", revision=0, state=TalkState.PUBLISHED)
            current_speakers: list[Speaker] = []
        else:
            talk = await (Talk.filter(id=talk_id, event=event).select_related("stage", "track")
                          .prefetch_related("speakers").first())
            if talk is None:
                raise Refusal.not_found("Foredraget findes ikke")
            if revision is not None and talk.revision != revision:
                raise Refusal.stale()
            current_speakers = list(talk.speakers)
        facts_before = audit_facts(talk, current_speakers) if talk_id is not None else None
        new_speakers = await _resolve(event, talk, values)
        created = await _create_speakers(event, people)
        if created:
            new_speakers = [*(current_speakers if new_speakers is None else new_speakers), *created]
        talk.code = talk.code or await _new_code(event)
        speakers = current_speakers if new_speakers is None else new_speakers
        await _check(event, talk, speakers, publish)
        talk.revision += 1
        if talk_id is None:
            await talk.save()  # a new talk needs its id before it has a snapshot
        if new_speakers is not None:
            await talk.speakers.clear()
            if new_speakers:
                await talk.speakers.add(*new_speakers)
        entry = publish_entry(talk, datetime.now(UTC), speakers) if publish else None
        await talk.save()
        changes = await record(event, [entry]) if entry else []
        facts = audit_facts(talk, speakers)
        await audit(event, actor, "talk.created" if talk_id is None else "talk.updated", talk,
                    fields=sorted({*values, *(["speaker_ids"] if created else [])}), published=bool(changes),
                    **({"speakers_created": [s.code for s in created]} if created else {}), title=talk.title,
                    **({"after": facts} if facts_before is None else difference(facts_before, facts, PLACE)))
    return Saved(talk, changes, speakers)


async def swap_stages(event_id: int, talk_ids: tuple[int, int], revisions: tuple[int, int], *,
                      actor: str = "") -> list[ScheduleChange]:
    """Give two published talks each other's stage and publish both at once: the day-of-fair answer
    to a crowded room when no larger stage is free (a quieter talk in a larger hall at the same
    time takes the smaller one). One transaction, two change-log rows; nothing else is published."""
    async with unit_of_work():
        event = await lock_event(event_id)
        found = {t.id: t for t in await Talk.filter(id__in=talk_ids, event=event).select_related("stage", "track")
                 .prefetch_related("speakers")}
        if len(found) != 2:
            raise Refusal.not_found("Foredraget findes ikke")
        talks = [found[talk_id] for talk_id in talk_ids]
        if [t.revision for t in talks] != list(revisions):
            raise Refusal.stale()
        for talk in talks:
            if talk.state != TalkState.PUBLISHED or talk.stage is None:
                raise Refusal.conflict("Kun offentliggjorte foredrag på en scene kan bytte scene: {title}",
                                       title=talk.title)
            if classify(talk.published, next_snapshot(talk)) is not None:
                raise Refusal.conflict("{title} har ændringer i kladden, som ikke er offentliggjort; "
                                       "offentliggør eller fortryd dem først", title=talk.title)
        first, second = talks
        stages = (first.stage.name, second.stage.name)
        first.stage, second.stage = second.stage, first.stage
        await _check(event, first, list(first.speakers), True, alongside=draft_slot(second))
        await _check(event, second, list(second.speakers), True, alongside=draft_slot(first))
        now = datetime.now(UTC)
        entries = []
        for talk in talks:
            talk.revision += 1
            entries.append(publish_entry(talk, now))
            await talk.save()
        changes = await record(event, [entry for entry in entries if entry])
        await audit(event, actor, "talk.stages_swapped", first, other=second.id, title=first.title,
                    other_title=second.title, before={"stage": stages[0]}, after={"stage": stages[1]})
    return changes


async def delete_talk(event_id: int, talk_id: int, *, revision: int | None = None, actor: str = "") -> None:
    """Delete a talk that attendees have never seen; a published talk is cancelled instead."""
    async with unit_of_work():
        event = await lock_event(event_id)
        talk = await Talk.get_or_none(id=talk_id, event=event)
        if talk is None:
            raise Refusal.not_found("Foredraget findes ikke")
        if revision is not None and talk.revision != revision:
            raise Refusal.stale()
        if talk.published is not None:
            raise Refusal.conflict("Foredraget er offentliggjort og kan ikke slettes; aflys det i stedet")
        await audit(event, actor, "talk.deleted", talk, code=talk.code, title=talk.title)
        await talk.delete()
