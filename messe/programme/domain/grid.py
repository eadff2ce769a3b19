"""The programme editor's grid: one table per day, a column per stage, a row per time step.

A talk is one cell spanning its rows. Talks that overlap on one stage (a cancelled talk and its
replacement, or drafts that clash) get lanes side by side under their stage's heading, so every
talk is visible. Every free cell is a place to drop a talk. Times are in the event's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from math import gcd
from zoneinfo import ZoneInfo

from messe.common.models import Event
from messe.programme.models import Stage, Talk

MIN_STEP = 5  # minutes
LABEL_EVERY = 15  # minutes between visible time labels


@dataclass(frozen=True)
class Column:
    stage: Stage
    lanes: int


@dataclass(frozen=True)
class Cell:
    stage: Stage
    starts_at: datetime  # in the event's time zone
    talk: Talk | None = None  # None: a free cell
    rows: int = 1


@dataclass(frozen=True)
class Row:
    starts_at: datetime  # in the event's time zone
    cells: list[Cell]

    @property
    def labelled(self) -> bool:
        return self.starts_at.minute % LABEL_EVERY == 0


@dataclass(frozen=True)
class Day:
    day: date
    columns: list[Column]
    rows: list[Row]


@dataclass(frozen=True)
class Grid:
    days: list[Day]
    step: int  # minutes per row
    unplaced: list[Talk]  # talks without a stage


def _minute_of_day(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def _step(moments: list[datetime]) -> int:
    """The longest step (at most an hour) that every start and end falls on, at least MIN_STEP."""
    step = 60
    for moment in moments:
        step = gcd(step, moment.minute)
    return max(step, MIN_STEP)


def _lanes(talks: list[tuple[int, int, Talk]]) -> list[list[tuple[int, int, Talk]]]:
    """Talks (first row, rows, talk) in lanes where none overlaps another."""
    lanes: list[list[tuple[int, int, Talk]]] = []
    for item in sorted(talks, key=lambda t: (t[0], t[2].id)):
        lane = next((lane for lane in lanes if lane[-1][0] + lane[-1][1] <= item[0]), None)
        if lane is None:
            lanes.append([item])
        else:
            lane.append(item)
    return lanes or [[]]


def _day(day: date, tz: ZoneInfo, stages: list[Stage], talks: list[tuple[datetime, datetime, Talk]], opens: int,
         closes: int, step: int) -> Day:
    first = min([opens, *(_minute_of_day(s) for s, _, _ in talks)]) // step * step
    last_end = max([closes, *(_minute_of_day(e) if e.date() == day else 24 * 60 for _, e, _ in talks)])
    count = max(1, -(-(last_end - first) // step))
    start = datetime.combine(day, time(), tzinfo=tz) + timedelta(minutes=first)
    columns, grids = [], []
    for stage in stages:
        placed = []
        for starts_at, ends_at, talk in talks:
            if talk.stage_id != stage.id:
                continue
            row = (_minute_of_day(starts_at) - first) // step
            rows = max(1, min(count - row, -(-int((ends_at - starts_at).total_seconds() // 60) // step)))
            placed.append((row, rows, talk))
        lanes = _lanes(placed)
        columns.append(Column(stage, len(lanes)))
        for lane in lanes:
            cells: list[Cell | None] = [Cell(stage, start + timedelta(minutes=i * step)) for i in range(count)]
            for row, rows, talk in lane:
                cells[row] = Cell(stage, start + timedelta(minutes=row * step), talk, rows)
                for covered in range(row + 1, row + rows):
                    cells[covered] = None
            grids.append(cells)
    rows = [Row(start + timedelta(minutes=i * step), [lane[i] for lane in grids if lane[i] is not None])
            for i in range(count)]
    return Day(day, columns, rows)


def build_grid(event: Event, stages: list[Stage], talks: list[Talk]) -> Grid:
    """``stages`` in the order they are shown; every talk of the event, drafts and cancelled ones too."""
    tz = ZoneInfo(event.timezone)
    opening, closing = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
    local = [(t.starts_at.astimezone(tz).replace(tzinfo=None), t.ends_at.astimezone(tz).replace(tzinfo=None), t)
             for t in talks]
    step = _step([opening, closing, *(m for s, e, _ in local for m in (s, e))])
    placed = [item for item in local if item[2].stage_id is not None]
    event_days = {opening.date() + timedelta(days=n) for n in range((closing.date() - opening.date()).days + 1)}
    days = sorted(event_days | {s.date() for s, _, _ in placed})
    # Each day shows at least the opening hours (for a fair of several days: the first day's
    # opening clock to the last day's closing clock).
    opens, closes = _minute_of_day(opening), _minute_of_day(closing)
    if closes <= opens:
        closes = 24 * 60
    grid_days = [_day(day, tz, stages, [item for item in placed if item[0].date() == day], opens, closes, step)
                 for day in days]
    return Grid(grid_days, step, [t for _, _, t in local if t.stage_id is None])
