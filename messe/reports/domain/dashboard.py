"""The figures of the live dashboard: check-ins over time, scans per exhibitor and the most
starred talks against their stage's seats. (Connected phones come from the live hub.)"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.functions import Count

from messe.checkin.domain.counts import CheckInCounts, checkin_counts
from messe.checkin.models import CheckIn
from messe.common.models import Event
from messe.expo.domain.stands import stand_key
from messe.expo.models import Exhibitor, Lead
from messe.programme.domain.stars import StarLoad, star_loads

STEP = timedelta(minutes=15)
TOP_TALKS = 10


@dataclass(frozen=True)
class Bar:
    starts_at: datetime
    ends_at: datetime
    count: int
    running_total: int


@dataclass(frozen=True)
class Scans:
    exhibitor: Exhibitor
    leads: int


@dataclass(frozen=True)
class Dashboard:
    checkins: CheckInCounts
    bars: list[Bar]
    scans: list[Scans]  # exhibitors with at least one lead, most first
    leads: int
    talks: list[StarLoad]

    @property
    def peak(self) -> Bar | None:
        busiest = max(self.bars, key=lambda bar: bar.count, default=None)
        return busiest if busiest and busiest.count else None

    @property
    def most_bar(self) -> int:
        return max((bar.count for bar in self.bars), default=0)


def _floor(moment: datetime, origin: datetime, step: timedelta) -> datetime:
    return origin + (moment - origin) // step * step


def checkin_bars(times: Iterable[datetime], opens: datetime, closes: datetime, step: timedelta = STEP) -> list[Bar]:
    """Check-ins per ``step`` from the opening (or the first check-in, if earlier) to the closing
    (or the last check-in, if later)."""
    times = sorted(times)
    start = _floor(min([opens, *times[:1]]), opens, step)
    end = max([closes, *(t + timedelta(microseconds=1) for t in times[-1:])])
    counts: dict[datetime, int] = {}
    for moment in times:
        key = _floor(moment, start, step)
        counts[key] = counts.get(key, 0) + 1
    bars, total, moment = [], 0, start
    while moment < end:
        total += counts.get(moment, 0)
        bars.append(Bar(moment, moment + step, counts.get(moment, 0), total))
        moment += step
    return bars


async def scans_per_exhibitor(event: Event) -> list[Scans]:
    counts = dict(await Lead.filter(event=event).annotate(n=Count("id")).group_by("exhibitor_id")
                  .values_list("exhibitor_id", "n"))
    exhibitors = await Exhibitor.filter(event=event, id__in=list(counts))
    return sorted((Scans(e, counts[e.id]) for e in exhibitors), key=lambda s: (-s.leads, stand_key(s.exhibitor.stand)))


async def dashboard(event: Event) -> Dashboard:
    times = await CheckIn.filter(event=event).values_list("checked_in_at", flat=True)
    scans = await scans_per_exhibitor(event)
    return Dashboard(
        checkins=await checkin_counts(event),
        bars=checkin_bars([t.astimezone(UTC) for t in times], event.starts_at, event.ends_at),
        scans=scans,
        leads=sum(s.leads for s in scans),
        talks=await star_loads(event, TOP_TALKS),
    )
