"""Overlaps in a personal schedule: starred talks that take place at the same time, between which
the attendee has to choose. A cancelled talk takes no time and overlaps nothing."""

from __future__ import annotations

from collections.abc import Iterable

from messe.programme.domain.snapshot import Snapshot, parse_time
from messe.programme.models import TalkState


def overlaps(talks: Iterable[Snapshot]) -> dict[int, list[Snapshot]]:
    """For each talk that overlaps another one of ``talks``, those others, by start time."""
    running = sorted((t for t in talks if t["state"] != TalkState.CANCELLED), key=lambda t: t["starts_at"])
    spans = [(parse_time(t["starts_at"]), parse_time(t["ends_at"]), t) for t in running]
    found: dict[int, list[Snapshot]] = {}
    for i, (start, end, talk) in enumerate(spans):
        for other_start, other_end, other in spans[i + 1:]:
            if other_start >= end:
                break
            if start < other_end:
                found.setdefault(talk["id"], []).append(other)
                found.setdefault(other["id"], []).append(talk)
    return {talk_id: sorted(others, key=lambda t: t["starts_at"]) for talk_id, others in found.items()}
