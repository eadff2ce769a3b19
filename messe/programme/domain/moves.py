"""A proposed move of a talk in the programme editor: a new time, length, stage or state.

The editor previews a move (:mod:`messe.programme.domain.impact`, :func:`move_problems`) and then
saves it with the use case in :mod:`messe.programme.domain.editing` that says what changed
(``move_talk``, ``cancel_talk``, ``update_talk``), which checks the rules again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from messe.common.models import Event
from messe.common.refusal import Problem
from messe.programme.domain.rules import Slot, check_slot
from messe.programme.domain.slots import draft_slots
from messe.programme.domain.talk_facts import TalkFacts
from messe.programme.models import Speaker, Stage, Talk, TalkState


@dataclass(frozen=True)
class Move:
    starts_at: datetime
    ends_at: datetime
    stage: Stage | None
    state: str

    @property
    def cancelled(self) -> bool:
        return self.state == TalkState.CANCELLED


def local_start(event: Event, moment: datetime) -> datetime:
    """A talk's start as the editor shows it: the event's wall-clock time, without a zone."""
    return moment.astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)


def minutes(starts_at: datetime, ends_at: datetime) -> int:
    """A talk's length in whole minutes."""
    return int((ends_at - starts_at).total_seconds() // 60)


def make_move(event: Event, local: datetime, duration: int, stage: Stage | None, state: str) -> Move:
    """A move from the editor's values: ``local`` is wall-clock time in the event's time zone."""
    starts_at = local.replace(tzinfo=ZoneInfo(event.timezone)).astimezone(UTC)  # the database compares UTC
    return Move(starts_at, starts_at + timedelta(minutes=duration), stage, state)


def rebase(move: Move, seen: TalkFacts, talk: Talk) -> Move:
    """``move`` applied to ``talk`` as it is now: only what the organiser changed from what they
    saw (``seen``) is taken from the move; the rest is as someone else has saved it since.
    ``talk.stage`` must be fetched."""
    length = move.ends_at - move.starts_at
    if length == seen.ends_at - seen.starts_at:
        length = talk.ends_at - talk.starts_at
    starts_at = talk.starts_at if move.starts_at == seen.starts_at else move.starts_at
    stage = talk.stage if (move.stage.name if move.stage else "") == seen.stage else move.stage
    return Move(starts_at, starts_at + length, stage, talk.state if move.state == seen.state else move.state)


def changed_values(talk: Talk, move: Move) -> dict[str, Any]:
    """The values of ``move`` that differ from ``talk``, as the editing use cases take them."""
    proposed = {"starts_at": move.starts_at, "ends_at": move.ends_at,
                "stage_id": move.stage.id if move.stage else None, "state": move.state}
    current = {"starts_at": talk.starts_at, "ends_at": talk.ends_at, "stage_id": talk.stage_id,
               "state": talk.state}
    return {name: value for name, value in proposed.items() if value != current[name]}


async def move_problems(event: Event, talk: Talk, move: Move, speakers: Iterable[Speaker] | None = None,
                        title: str | None = None) -> list[Problem]:
    """The programme rules the moved talk would break (a cancelled talk breaks none), given with
    its new ``speakers`` and ``title`` when those change too.

    ``talk.speakers`` must be fetched."""
    if move.cancelled:
        return []
    slot = Slot(talk_id=talk.id, title=talk.title if title is None else title, starts_at=move.starts_at,
                ends_at=move.ends_at, stage_id=move.stage.id if move.stage else None,
                stage_name=move.stage.name if move.stage else "",
                speakers={s.id: s.name for s in (talk.speakers if speakers is None else speakers)})
    others = await draft_slots(event, during=(move.starts_at, move.ends_at), exclude=talk.id)
    return check_slot(slot, others, event.starts_at, event.ends_at, event.timezone)
