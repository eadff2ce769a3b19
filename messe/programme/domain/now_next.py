"""What is on now ("Nu") and what comes next on each stage ("Næste") at a given moment.

A cancelled talk is on nowhere. "Næste" holds, for every stage, the first talk that starts after
the moment, so before the fair it is the opening of each stage and after the last talk it is
empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from messe.programme.domain.snapshot import Snapshot, parse_time
from messe.programme.models import TalkState


@dataclass(frozen=True)
class NowNext:
    now: list[Snapshot]
    next: list[Snapshot]

    @property
    def key(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """What the selection shows, for caches and ETags."""
        return tuple(t["id"] for t in self.now), tuple(t["id"] for t in self.next)


def _stage_id(talk: Snapshot) -> int | None:
    return (talk.get("stage") or {}).get("id")


def now_and_next(talks: Iterable[Snapshot], at: datetime) -> NowNext:
    """``talks`` in programme order (by start, then stage); both lists keep that order."""
    running = [t for t in talks if t["state"] != TalkState.CANCELLED]
    now = [t for t in running if parse_time(t["starts_at"]) <= at < parse_time(t["ends_at"])]
    upcoming: dict[int | None, Snapshot] = {}
    for talk in running:
        if parse_time(talk["starts_at"]) > at:
            upcoming.setdefault(_stage_id(talk), talk)
    chosen = {t["id"] for t in upcoming.values()}
    return NowNext(now=now, next=[t for t in running if t["id"] in chosen])
