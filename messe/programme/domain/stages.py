"""Editing stages. A stage's name and hall are part of every published talk on it, so renaming
a stage republishes those talks (kind ``updated``) and phones learn the new name."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from messe.common.audit import record as audit
from messe.common.refusal import Refusal
from messe.common.unit_of_work import unit_of_work
from messe.programme.domain.changelog import Entry, classify, lock_event, record
from messe.programme.domain.snapshot import iso, stage_view
from messe.programme.models import ScheduleChange, Stage, Talk


async def _check_code(event_id: int, code: str, stage_id: int | None) -> None:
    clash = Stage.filter(event_id=event_id, code=code)
    if stage_id is not None:
        clash = clash.exclude(id=stage_id)
    if await clash.exists():
        raise Refusal.invalid("Koden er allerede i brug", field="code")


async def _published_on(event_id: int, stage_id: int) -> list[Talk]:
    talks = await Talk.filter(event_id=event_id, published__isnull=False)
    return [t for t in talks if (t.published.get("stage") or {}).get("id") == stage_id]


async def create_stage(event_id: int, values: dict[str, Any], *, actor: str = "") -> Stage:
    async with unit_of_work():
        event = await lock_event(event_id)
        await _check_code(event_id, values["code"], None)
        if values.get("position") is None:
            values = {**values, "position": await Stage.filter(event=event).count()}
        stage = await Stage.create(event=event, **values)
        await audit(event, actor, "stage.created", stage, code=stage.code)
    return stage


async def update_stage(event_id: int, stage_id: int, values: dict[str, Any], *,
                       actor: str = "") -> tuple[Stage, list[ScheduleChange]]:
    async with unit_of_work():
        event = await lock_event(event_id)
        stage = await Stage.get_or_none(id=stage_id, event=event)
        if stage is None:
            raise Refusal.not_found("Scenen findes ikke")
        if "code" in values:
            await _check_code(event_id, values["code"], stage_id)
        stage.update_from_dict(values)
        await stage.save()
        now = iso(datetime.now(UTC))
        entries = []
        for talk in await _published_on(event_id, stage_id):
            before = talk.published
            after = {**before, "stage": stage_view(stage), "sequence": before.get("sequence", 0) + 1,
                     "changed_at": now}
            kind = classify(before, after)
            if kind is not None:
                talk.published = after
                talk.revision += 1
                await talk.save(update_fields=["published", "revision"])
                entries.append(Entry(kind, talk.id, before, after))
        changes = await record(event, entries)
        await audit(event, actor, "stage.updated", stage, fields=sorted(values))
    return stage, changes


async def delete_stage(event_id: int, stage_id: int, *, actor: str = "") -> None:
    async with unit_of_work():
        event = await lock_event(event_id)
        stage = await Stage.get_or_none(id=stage_id, event=event)
        if stage is None:
            raise Refusal.not_found("Scenen findes ikke")
        if await Talk.filter(stage=stage).exists() or await _published_on(event_id, stage_id):
            raise Refusal.conflict("Scenen har foredrag; flyt dem til en anden scene først")
        await audit(event, actor, "stage.deleted", stage, code=stage.code)
        await stage.delete()
