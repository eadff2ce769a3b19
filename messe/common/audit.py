"""Writing the audit log: who changed what, and when."""

from __future__ import annotations

from typing import Any

from messe.common.models import AuditEntry, Event


async def record(event: Event, actor: str, action: str, obj: Any = None, **detail: Any) -> None:
    """Add an audit entry; call it inside the transaction that makes the change."""
    await AuditEntry.create(
        event=event,
        actor=actor[:200],
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "id", "") or ""),
        detail=detail,
    )
