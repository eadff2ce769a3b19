"""Which talks the next publication of the draft would change for attendees."""

from __future__ import annotations

from messe.programme.domain.editing import next_snapshot
from messe.programme.domain.snapshot import public_part
from messe.programme.models import Talk


def unpublished(talk: Talk) -> bool:
    """True when publishing would change what attendees see of ``talk`` (a talk still in the
    "draft" state is never published). Its stage, track and speakers must be fetched."""
    upcoming = public_part(next_snapshot(talk))
    return upcoming is not None and upcoming != public_part(talk.published)
