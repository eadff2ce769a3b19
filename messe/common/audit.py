"""Writing the audit log: who changed what, and when."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from messe.common.models import AuditEntry

if TYPE_CHECKING:  # the shared part names the event only in a type hint; it does not depend on the programme
    from messe.programme.models import Event


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
