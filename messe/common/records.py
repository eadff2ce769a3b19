"""Creating and changing an event's simple records (tracks, speakers, organisations,
exhibitors) with a uniqueness check and an audit entry, in one transaction."""

from __future__ import annotations

from typing import Any, TypeVar

from tortoise.models import Model
from tortoise.transactions import in_transaction

from messe.common.audit import record
from messe.common.models import Event
from messe.common.refusal import Refusal

Record = TypeVar("Record", bound=Model)


async def save_record(model: type[Record], event: Event, record_id: int | None, values: dict[str, Any], *,
                      unique: tuple[str, ...] = (), actor: str) -> Record:
    """Create (``record_id`` None) or update a record of ``event``; no other record of the event may
    share the values of the ``unique`` fields."""
    action = model.__name__.lower()
    async with in_transaction():
        for name in unique:
            clash = model.filter(event=event, **{name: values[name]})
            if record_id is not None:
                clash = clash.exclude(id=record_id)
            if await clash.exists():
                raise Refusal.invalid("'{value}' er allerede i brug", field=name, value=values[name])
        if record_id is None:
            item = await model.create(event=event, **values)
            await record(event, actor, f"{action}.created", item, **{n: values[n] for n in unique})
            return item
        item = await model.get_or_none(id=record_id, event=event)
        if item is None:
            raise Refusal.not_found("Den findes ikke længere")
        changed = sorted(name for name, value in values.items() if getattr(item, name) != value)
        if changed:
            item.update_from_dict({name: values[name] for name in changed})
            await item.save(update_fields=changed)
            await record(event, actor, f"{action}.updated", item, fields=changed)
    return item
