"""What a move means for the attendees who starred the talk, shown before it is saved.

How many starred it; how many of them get a new overlap with another talk they starred (as
attendees see those talks: the published programme, cancelled talks left out); and whether the
new stage seats them all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from messe.people.models import Bookmark
from messe.programme.domain.moves import Move
from messe.programme.domain.rules import Slot
from messe.programme.domain.slots import public_slot
from messe.programme.models import Talk, TalkState

SHOWN_CLASHES = 3


@dataclass(frozen=True)
class Span:
    starts_at: datetime
    ends_at: datetime
    cancelled: bool = False

    def overlaps(self, slot: Slot) -> bool:
        return not self.cancelled and self.starts_at < slot.ends_at and slot.starts_at < self.ends_at


@dataclass(frozen=True)
class Impact:
    stars: int
    new_overlaps: int  # attendees whose personal schedule gets a clash it did not have
    clashes: list[tuple[str, int]]  # the talks those clashes are with: (title, attendees), most first
    capacity: int  # seats on the new stage; 0 when unknown or no stage
    reaches_phones: bool  # False for a draft attendees do not see

    @property
    def over_capacity(self) -> int:
        return max(0, self.stars - self.capacity) if self.capacity else 0


def assess(before: Span, after: Span, schedules: dict[int, list[Slot]], *, stars: int, capacity: int,
           reaches_phones: bool) -> Impact:
    """``schedules`` maps each attendee who starred the talk to the other talks they starred."""
    clashing: Counter[str] = Counter()
    affected = 0
    for others in schedules.values():
        new = [slot for slot in others if after.overlaps(slot) and not before.overlaps(slot)]
        if new:
            affected += 1
            clashing.update({slot.title for slot in new})
    return Impact(stars=stars, new_overlaps=affected, clashes=clashing.most_common(SHOWN_CLASHES),
                  capacity=capacity, reaches_phones=reaches_phones)


def _span_now(talk: Talk) -> Span:
    """Where attendees see the talk now: its published snapshot, or the draft if never published."""
    if talk.published:
        slot = public_slot(talk.published)
        return Span(slot.starts_at, slot.ends_at, talk.published["state"] == TalkState.CANCELLED)
    return Span(talk.starts_at, talk.ends_at, talk.state == TalkState.CANCELLED)


async def _schedules(talk_id: int, attendee_ids: Iterable[int]) -> dict[int, list[Slot]]:
    pairs = await Bookmark.filter(attendee_id__in=list(attendee_ids)).exclude(talk_id=talk_id).values_list(
        "attendee_id", "talk_id")
    snapshots = await Talk.filter(id__in={t for _, t in pairs}, published__isnull=False).values_list(
        "id", "published")
    slots = {talk: public_slot(s) for talk, s in snapshots if s["state"] != TalkState.CANCELLED}
    schedules: dict[int, list[Slot]] = {}
    for attendee, other in pairs:
        if other in slots:
            schedules.setdefault(attendee, []).append(slots[other])
    return schedules


async def impact_of(talk: Talk, move: Move) -> Impact:
    attendees = await Bookmark.filter(talk_id=talk.id).values_list("attendee_id", flat=True)
    after = Span(move.starts_at, move.ends_at, move.cancelled)
    return assess(_span_now(talk), after, await _schedules(talk.id, attendees) if attendees else {},
                  stars=len(attendees), capacity=move.stage.capacity if move.stage else 0,
                  reaches_phones=move.state != TalkState.DRAFT)
