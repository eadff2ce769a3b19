"""The published programme as attendees see it, grouped for pages and exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from messe.common.models import Event
from messe.programme.domain.snapshot import Snapshot, parse_time, stage_view
from messe.programme.models import Stage, Talk, Track

NO_STAGE: dict[str, Any] = {"id": None, "code": "", "name": "Ingen scene", "hall": ""}


@dataclass
class Programme:
    event: Event
    stages: list[Stage]
    tracks: list[Track]
    talks: list[Snapshot]  # every published talk, cancelled ones included, by time then stage

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.event.timezone)

    def local_day(self, talk: Snapshot) -> date:
        return parse_time(talk["starts_at"]).astimezone(self.tz).date()

    def days(self) -> list[date]:
        """Every day of the event, from its first to its last (in the event's time zone)."""
        first = self.event.starts_at.astimezone(self.tz).date()
        last = self.event.ends_at.astimezone(self.tz).date()
        return [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]

    def by_time(self) -> list[tuple[datetime, list[Snapshot]]]:
        """Talks grouped by start time."""
        return [(parse_time(start), list(talks)) for start, talks in groupby(self.talks, key=lambda t: t["starts_at"])]

    def hours(self) -> list[tuple[int, datetime]]:
        """The time index: the first slot of each hour (in the event's time zone) of ``by_time()``,
        as its place there (counted from 1) and its start."""
        index: list[tuple[int, datetime]] = []
        last = None
        for place, (start, _) in enumerate(self.by_time(), start=1):
            hour = start.astimezone(self.tz).replace(minute=0, second=0, microsecond=0)
            if hour != last:
                index.append((place, start))
                last = hour
        return index

    def by_stage(self) -> list[tuple[dict[str, Any], list[Snapshot]]]:
        """Talks grouped by stage, in the stages' order; talks without a stage come last."""
        groups = []
        for stage in self.stages:
            talks = [t for t in self.talks if (t.get("stage") or {}).get("id") == stage.id]
            groups.append((stage_view(stage), talks))
        stageless = [t for t in self.talks if not t.get("stage")]
        if stageless:
            groups.append((NO_STAGE, stageless))
        return groups


def _order(stages: list[Stage]) -> Any:
    position = {s.id: i for i, s in enumerate(stages)}

    def key(talk: Snapshot) -> tuple[str, int, int]:
        stage_id = (talk.get("stage") or {}).get("id")
        return (talk["starts_at"], position.get(stage_id, len(position)), talk["id"])

    return key


async def published_programme(event: Event) -> Programme:
    stages = await Stage.filter(event=event).order_by("position", "id")
    tracks = await Track.filter(event=event).order_by("name")
    snapshots = await Talk.filter(event=event, published__isnull=False).values_list("published", flat=True)
    talks = sorted((s for s in snapshots if s), key=_order(stages))
    return Programme(event, stages, tracks, talks)
