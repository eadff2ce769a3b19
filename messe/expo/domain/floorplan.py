"""The halls' floor plan as rectangles, drawn from the stands' grid cells."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from messe.expo.models import Exhibitor

CELL = 60  # SVG units per grid cell
GAP = 6
MARGIN = 12


@dataclass(frozen=True)
class StandBox:
    stand: str
    name: str
    exhibitor_id: int
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class HallPlan:
    code: str
    name: str
    width: int
    height: int
    stands: list[StandBox]


def hall_plans(exhibitors: Iterable[Exhibitor], halls: list[dict[str, str]]) -> list[HallPlan]:
    """One plan per hall, in the event's hall order; halls without stands are left out."""
    by_hall: dict[str, list[Exhibitor]] = {}
    for exhibitor in exhibitors:
        by_hall.setdefault(exhibitor.hall, []).append(exhibitor)
    names = {h["code"]: h.get("name", h["code"]) for h in halls}
    order = [h["code"] for h in halls] + sorted(set(by_hall) - set(names))
    plans = []
    for code in order:
        stands = by_hall.get(code)
        if not stands:
            continue
        boxes = [
            StandBox(stand=e.stand, name=e.name, exhibitor_id=e.id,
                     x=MARGIN + e.x * CELL, y=MARGIN + e.y * CELL,
                     width=e.width * CELL - GAP, height=CELL - GAP)
            for e in sorted(stands, key=lambda e: (e.y, e.x))
        ]
        width = max(b.x + b.width for b in boxes) + MARGIN
        height = max(b.y + b.height for b in boxes) + MARGIN
        plans.append(HallPlan(code=code, name=names.get(code, code), width=width, height=height, stands=boxes))
    return plans
