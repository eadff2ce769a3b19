"""Creating and changing an event's simple records (tracks, speakers, organisations,
exhibitors) with a uniqueness check and an audit entry, in one transaction."""

from __future__ import annotations

from typing import Any, TypeVar

from tortoise.models import Model

from messe.common.audit import record
from messe.common.models import Event
from messe.common.refusal import Refusal
from messe.common.unit_of_work import unit_of_work

Record = TypeVar("Record", bound=Model)


def _named(item: Model) -> dict[str, str]:
    """The name the audit log's sentence gives the record."""
    name = getattr(item, "name", "")
    return {"name": name} if isinstance(name, str) and name else {}


def _plain(value: Any) -> Any:
    """``value`` as the audit entry's JSON keeps it."""
    return value if value is None or isinstance(value, (str, int, float, bool, list, dict)) else str(value)


async def save_record(model: type[Record], event: Event, record_id: int | None, values: dict[str, Any], *,
                      unique: tuple[str, ...] = (), actor: str) -> Record:
    """Create (``record_id`` None) or update a record of ``event`` with ``values`` (an update may
    give some fields only); no other record of the event may share the values of the ``unique``
    fields."""
    action = model.__name__.lower()
    async with unit_of_work():
        for name in (name for name in unique if name in values):
            clash = model.filter(event=event, **{name: values[name]})
            if record_id is not None:
                clash = clash.exclude(id=record_id)
            if await clash.exists():
                raise Refusal.invalid("'{value}' er allerede i brug", field=name, value=values[name])
        if record_id is None:
            item = await model.create(event=event, **values)
            await record(event, actor, f"{action}.created", item, **{**_named(item), **{n: values[n] for n in unique}})
            return item
        item = await model.get_or_none(id=record_id, event=event)
        if item is None:
            raise Refusal.not_found("Den findes ikke længere")
        changed = sorted(name for name, value in values.items() if getattr(item, name) != value)
        if changed:
            was = {name: _plain(getattr(item, name)) for name in changed}
            item.update_from_dict({name: values[name] for name in changed})
            await item.save(update_fields=changed)
            await record(event, actor, f"{action}.updated", item, fields=changed, **_named(item), before=was,
                         after={name: _plain(values[name]) for name in changed})
    return item


async def delete_record(item: Model, *, actor: str) -> None:
    """Delete a record of an event, with its audit entry."""
    async with unit_of_work():
        await record(item.event_id, actor, f"{type(item).__name__.lower()}.deleted", item, **_named(item))
        await item.delete()
