"""The halls' floor plan: the stands from their grid cells, and the hall's fixed places (entrances,
stages, café, toilets, information) from the event's halls (seed/event.json, ``features``).

Sizes are SVG units; the page shows one unit as one CSS pixel at 100 % zoom, so a stand of one cell
is 84×60 px there, and still at least 44 px in each direction at the smallest zoom (``ZOOMS``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from messe.expo.models import Exhibitor

CELL_WIDTH = 90  # SVG units per grid cell
CELL_HEIGHT = 66
GAP = 6
MARGIN = 12
ZOOMS = (0.75, 1.0, 1.25, 1.5, 2.0)  # the smallest keeps a one-cell stand 45 px high
NAME_LINES = 2
CHAR_WIDTH = 6.8  # average width of a character of the stand names' 12-unit font
PADDING = 5
FEATURE_KINDS = ("entrance", "stage", "cafe", "toilets", "info")


@dataclass(frozen=True)
class StandBox:
    stand: str
    name: str
    exhibitor_id: int
    x: int
    y: int
    width: int
    height: int
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeatureBox:
    code: str
    kind: str
    x: int
    y: int
    width: int
    height: int
    main: bool = False
    stage_id: int | None = None
    stage_name: str = ""


@dataclass(frozen=True)
class HallPlan:
    code: str
    name: str
    width: int
    height: int
    stands: list[StandBox]
    features: list[FeatureBox]


def name_lines(name: str, width: int, lines: int = NAME_LINES) -> tuple[str, ...]:
    """``name`` broken at spaces into at most ``lines`` lines that fit ``width`` units; what does
    not fit ends in "…" (the whole name is in the stand's accessible name and on its page)."""
    room = max(3, int((width - 2 * PADDING) / CHAR_WIDTH))
    out: list[str] = []
    current = ""
    truncated = False
    for word in name.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= room or not current:
            current = candidate
            continue
        out.append(current)
        current = word
        if len(out) == lines:
            current, truncated = "", True
            break
    if current:
        out.append(current)
    fitted = [line if len(line) <= room else line[:room - 1].rstrip() + "…" for line in out]
    if truncated and not fitted[-1].endswith("…"):
        fitted[-1] = fitted[-1][:room - 1].rstrip() + "…"
    return tuple(fitted)


def _box(x: int, y: int, width: int, height: int) -> tuple[int, int, int, int]:
    return (MARGIN + x * CELL_WIDTH, MARGIN + y * CELL_HEIGHT, width * CELL_WIDTH - GAP, height * CELL_HEIGHT - GAP)


def _feature(row: dict[str, Any], stages: dict[str, tuple[int, str]]) -> FeatureBox | None:
    kind = row.get("kind")
    if kind not in FEATURE_KINDS:
        return None
    x, y, width, height = _box(int(row.get("x", 0)), int(row.get("y", 0)), int(row.get("width", 1)),
                               int(row.get("height", 1)))
    stage_id, stage_name = stages.get(row.get("stage", ""), (None, ""))
    return FeatureBox(code=str(row.get("code", "")), kind=kind, x=x, y=y, width=width, height=height,
                      main=bool(row.get("main")), stage_id=stage_id, stage_name=stage_name)


def hall_plans(exhibitors: Iterable[Exhibitor], halls: list[dict[str, Any]],
               stages: dict[str, tuple[int, str]] | None = None) -> list[HallPlan]:
    """One plan per hall, in the event's hall order; halls with neither stands nor places are left
    out. ``stages`` gives each stage code its id and name, for the stages drawn in the halls."""
    by_hall: dict[str, list[Exhibitor]] = {}
    for exhibitor in exhibitors:
        by_hall.setdefault(exhibitor.hall, []).append(exhibitor)
    known = {h["code"]: h for h in halls}
    order = [h["code"] for h in halls] + sorted(set(by_hall) - set(known))
    plans = []
    for code in order:
        stands = []
        for e in sorted(by_hall.get(code, []), key=lambda e: (e.y, e.x)):
            x, y, width, height = _box(e.x, e.y, e.width, 1)
            stands.append(StandBox(stand=e.stand, name=e.name, exhibitor_id=e.id, x=x, y=y, width=width,
                                   height=height, lines=name_lines(e.name, width)))
        features = [f for f in (_feature(row, stages or {}) for row in known.get(code, {}).get("features", [])) if f]
        boxes = [*stands, *features]
        if not boxes:
            continue
        width = max(b.x + b.width for b in boxes) + MARGIN
        height = max(b.y + b.height for b in boxes) + MARGIN
        plans.append(HallPlan(code=code, name=known.get(code, {}).get("name", code), width=width, height=height,
                              stands=stands, features=features))
    return plans
