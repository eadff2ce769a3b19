"""Uploaded files kept between an import's preview and the organiser's confirmation."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

from messe.common.models import Event, PendingImport

KEEP = timedelta(hours=24)


async def keep(event: Event, kind: str, filename: str, content: bytes, *, actor: str,
               options: dict[str, Any] | None = None) -> PendingImport:
    """Store an upload for confirmation; uploads older than a day are forgotten."""
    await PendingImport.filter(created_at__lt=datetime.now(UTC) - KEEP).delete()
    return await PendingImport.create(event=event, kind=kind, filename=filename[:200], options=options or {},
                                      content=base64.b64encode(content).decode("ascii"), created_by=actor)


async def find(event: Event, kind: str, pending_id: int) -> PendingImport | None:
    return await PendingImport.get_or_none(id=pending_id, event=event, kind=kind)


def content_of(pending: PendingImport) -> bytes:
    return base64.b64decode(pending.content)


async def claim(pending: PendingImport) -> bool:
    """Remove the upload inside the import's transaction; False when another request got there
    first (a double click), so it is imported once."""
    return await PendingImport.filter(id=pending.id).delete() == 1


async def forget_event(event: Event) -> None:
    """Drop every upload of ``event`` waiting for confirmation (an erasure: it may hold the person)."""
    await PendingImport.filter(event=event).delete()
