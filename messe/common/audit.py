"""Writing the audit log: who changed what, and when.

An entry names its writer as the caller gives it (``actor``); the writer's role comes from
:func:`acting`, which the web layer calls once it knows who makes the request, so a use case
needs no more than the name. The entry's kind is worked out once, here (see
:func:`messe.common.audit_log.kind_of`), so the log can be filtered by what happened.

What the log's sentences need is written at the write: ``title`` or ``name`` of the record, and
for a change ``before`` and ``after`` (dicts of the values that changed, and for a talk its start
and stage, so a move reads "from 10:00 Store Sal to 11:00 Borgerscenen").
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from messe.common.audit_log import kind_of
from messe.common.models import AuditEntry, Event

_acting: ContextVar[tuple[str, str] | None] = ContextVar("messe_audit_acting", default=None)


def acting(actor: str, role: str) -> None:
    """For the rest of this request (task): ``actor`` is the person making it, with ``role``."""
    _acting.set((actor, role))


def role_of(actor: str) -> str:
    """``actor``'s role when they are the one making the current request, else ''."""
    current = _acting.get()
    return current[1] if current is not None and current[0] == actor else ""


def difference(before: dict[str, Any], after: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    """An entry's ``before`` and ``after``: the values that changed, and those named in ``keep``
    (what a sentence needs whether it changed or not, such as a talk's title, start and stage)."""
    names = [name for name in after if name in keep or before.get(name) != after[name]]
    return {"before": {name: before.get(name) for name in names}, "after": {name: after[name] for name in names}}


async def record(event: Event | int, actor: str, action: str, obj: Any = None, **detail: Any) -> None:
    """Add an audit entry; call it inside the transaction that makes the change. ``event`` may be
    the event's id (a hot path that has no need to read the event)."""
    await AuditEntry.create(
        event_id=event if isinstance(event, int) else event.id,
        actor=actor[:200],
        actor_role=role_of(actor)[:20],
        action=action,
        kind=kind_of(action, detail)[:60],
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "id", "") or ""),
        detail=detail,
    )
