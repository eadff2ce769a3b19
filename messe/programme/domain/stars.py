"""How many attendees starred each talk, against the seats of the talk's stage."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.functions import Count

from messe.common.models import Event
from messe.people.models import Bookmark
from messe.programme.models import Talk, TalkState


@dataclass(frozen=True)
class StarLoad:
    talk: Talk  # with its stage fetched
    stars: int

    @property
    def capacity(self) -> int:
        """Seats on the talk's stage; 0 when unknown."""
        return self.talk.stage.capacity if self.talk.stage else 0

    @property
    def over_capacity(self) -> int:
        """Attendees who starred it beyond the seats; 0 for a cancelled talk or unknown seats."""
        if self.talk.state == TalkState.CANCELLED or not self.capacity:
            return 0
        return max(0, self.stars - self.capacity)

    @property
    def percent(self) -> int | None:
        return round(100 * self.stars / self.capacity) if self.capacity else None


async def star_counts(event: Event) -> dict[int, int]:
    """Talk id → how many attendees starred it (talks nobody starred are left out)."""
    rows = await (Bookmark.filter(talk__event=event).annotate(n=Count("id")).group_by("talk_id")
                  .values_list("talk_id", "n"))
    return dict(rows)


async def star_loads(event: Event, limit: int | None = None) -> list[StarLoad]:
    """The starred talks that take place (not cancelled), most stars first."""
    counts = await star_counts(event)
    talks = await Talk.filter(event=event, id__in=list(counts)).exclude(state=TalkState.CANCELLED).select_related(
        "stage")
    loads = sorted((StarLoad(t, counts[t.id]) for t in talks), key=lambda load: (-load.stars, load.talk.starts_at))
    return loads[:limit] if limit is not None else loads
