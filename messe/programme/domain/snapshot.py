"""The public snapshot of a talk: exactly what attendees see, stored in ``Talk.published``.

A snapshot is plain JSON so it can be kept in the change log (``before``/``after``), sent to
phones and compared with the draft. Besides the public fields it carries two bookkeeping keys:
``sequence`` (how often the published talk has changed; iCalendar's SEQUENCE) and
``changed_at`` (when it last changed).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from messe.programme.models import Speaker, Stage, Talk, TalkState, Track

Snapshot = dict[str, Any]

BOOKKEEPING = ("sequence", "changed_at")
TIMING = ("starts_at", "ends_at")


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def stage_view(stage: Stage | None) -> dict[str, Any] | None:
    if stage is None:
        return None
    return {"id": stage.id, "code": stage.code, "name": stage.name, "hall": stage.hall}


def track_view(track: Track | None) -> dict[str, Any] | None:
    if track is None:
        return None
    return {"id": track.id, "code": track.code, "name": track.name, "color": track.color}


def speaker_view(speaker: Speaker) -> dict[str, Any]:
    return {"id": speaker.id, "code": speaker.code, "name": speaker.name, "organisation": speaker.organisation}


def talk_snapshot(talk: Talk, *, sequence: int = 0, changed_at: datetime | None = None,
                  speakers: list[Speaker] | None = None) -> Snapshot:
    """The snapshot attendees would see if ``talk``'s draft were published now.

    ``talk.stage`` and ``talk.track`` must be fetched, and ``talk.speakers`` unless ``speakers``
    is given (``prefetch_related("stage", "track", "speakers")``).
    """
    speakers = list(talk.speakers) if speakers is None else speakers
    return {
        "id": talk.id,
        "code": talk.code,
        "title": talk.title,
        "abstract": talk.abstract,
        "language": talk.language,
        "starts_at": iso(talk.starts_at),
        "ends_at": iso(talk.ends_at),
        "state": TalkState.CANCELLED if talk.state == TalkState.CANCELLED else TalkState.PUBLISHED,
        "stage": stage_view(talk.stage),
        "track": track_view(talk.track),
        "speakers": [speaker_view(s) for s in sorted(speakers, key=lambda s: (s.name, s.id))],
        "sequence": sequence,
        "changed_at": iso(changed_at or datetime.now(UTC)),
    }


def public_part(snapshot: Snapshot | None) -> Snapshot | None:
    """The snapshot without its bookkeeping, for comparing what attendees would notice."""
    if snapshot is None:
        return None
    return {k: v for k, v in snapshot.items() if k not in BOOKKEEPING}
