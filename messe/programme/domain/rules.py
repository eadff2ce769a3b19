"""The rules every programme obeys, as pure functions over time slots.

A talk lies within the event's hours and ends after it starts; no two talks overlap on one
stage; no speaker is on two stages at once. Each broken rule is a :class:`~messe.common.refusal.Problem` whose
Danish message names the clash, with times in the event's time zone; the message is a
template plus values so the interface can translate it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from messe.common.refusal import Problem
from messe.programme.domain.summary import NO_STAGE


@dataclass(frozen=True)
class Slot:
    """Where and when a talk takes place, with what the messages need to name it."""

    talk_id: int | None
    title: str
    starts_at: datetime
    ends_at: datetime
    stage_id: int | None = None
    stage_name: str = ""
    speakers: dict[int, str] = field(default_factory=dict)

    def overlaps(self, other: Slot) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


def _clock(value: datetime, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%H:%M")


def _where(slot: Slot, tz: ZoneInfo) -> dict[str, str]:
    return {"title": slot.title, "stage": slot.stage_name or NO_STAGE,
            "start": _clock(slot.starts_at, tz), "end": _clock(slot.ends_at, tz)}


def check_slot(slot: Slot, others: Iterable[Slot], opens: datetime, closes: datetime, timezone: str) -> list[Problem]:
    """Every rule ``slot`` breaks among ``others`` (which must not include the slot itself)."""
    tz = ZoneInfo(timezone)
    if slot.ends_at <= slot.starts_at:
        return [Problem("Sluttidspunktet skal ligge efter starttidspunktet", field="ends_at")]
    violations = []
    if slot.starts_at < opens or slot.ends_at > closes:
        violations.append(Problem(
            "Foredraget skal ligge inden for messens åbningstid kl. {opens}–{closes}",
            {"opens": _clock(opens, tz), "closes": _clock(closes, tz)},
            "starts_at" if slot.starts_at < opens else "ends_at"))
    for other in sorted(others, key=lambda o: (o.starts_at, o.talk_id or 0)):
        if other.talk_id == slot.talk_id or not slot.overlaps(other):
            continue
        if slot.stage_id is not None and other.stage_id == slot.stage_id:
            violations.append(Problem("Overlapper med '{title}' på {stage} kl. {start}–{end}",
                                      _where(other, tz), "starts_at"))
            continue
        for speaker_id in sorted(slot.speakers.keys() & other.speakers.keys()):
            violations.append(Problem(
                "{speaker} taler samtidig i '{title}' på {stage} kl. {start}–{end}",
                {"speaker": slot.speakers[speaker_id], **_where(other, tz)}, "speaker_ids"))
    return violations


def check_programme(slots: list[Slot], opens: datetime, closes: datetime,
                    timezone: str) -> list[tuple[Slot, Problem]]:
    """Every rule the whole programme breaks, each clash reported once, with the slot it concerns."""
    return [(slot, violation)
            for index, slot in enumerate(slots)
            for violation in check_slot(slot, slots[index + 1:], opens, closes, timezone)]
