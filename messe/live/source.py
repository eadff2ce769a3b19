"""What the live part reads from the rest of messe, as protocols: it imports no domain.

The programme part implements :class:`ChangeLog` (messe.programme.domain.changelog), the people
part :class:`Stars` (messe.people.domain.bookmarks); the composition root (messe.app) hands both
to :func:`messe.live.runtime.live_runtime`. A test hands its own (tests/live/test_hub.py).

Every method is on a hot path and costs one query: a reconnecting phone's catch-up reads
:meth:`ChangeLog.changes` once per ``replay_window`` entries, and each delivered entry reads
:meth:`Stars.starred_by` once per process, however many phones are connected.
"""

from __future__ import annotations

from typing import Any, Protocol

from messe.live.protocol import Envelope


class ChangeLog(Protocol):
    """The change log: entries with an event-wide, strictly increasing ``seq`` (DESIGN.md)."""

    async def last_seq(self, event_id: int) -> int:
        """The event's latest ``seq`` (0 before its first entry)."""
        ...

    async def changes(self, event_id: int, after: int, upto: int) -> list[Envelope]:
        """Entries with ``after < seq <= upto``, in order, in one query."""
        ...

    def envelope(self, row: Any) -> Envelope:
        """A committed row, as the unit of work hands it to its listeners, as the same envelope
        :meth:`changes` reads back for it (a phone gets the same frame live and on replay)."""
        ...


class Stars(Protocol):
    """Attendees' personal schedules."""

    async def starred_by(self, talk_id: int) -> set[int]:
        """Ids of the attendees who have the talk in their personal schedule, in one query."""
        ...

    async def starred_talks(self, attendee_id: int) -> set[int]:
        """Ids of the talks in the attendee's personal schedule, in one query."""
        ...


class ChangeSource(Protocol):
    """Where the hub reads the change log and bookmarks (:class:`Sources`, in production)."""

    async def last_seq(self, event_id: int) -> int: ...

    async def changes(self, event_id: int, after: int, upto: int) -> list[Envelope]:
        """Entries with ``after < seq <= upto``, in order."""
        ...

    async def starred_by(self, talk_id: int) -> set[int]:
        """Ids of the attendees who have the talk in their personal schedule."""
        ...

    async def starred_talks(self, attendee_id: int) -> set[int]: ...


class Sources:
    """A :class:`ChangeSource` made of a change log and the stars. It holds their bound methods
    themselves, so the hub's reads go straight to the implementations (no call in between)."""

    __slots__ = ("changes", "envelope", "last_seq", "starred_by", "starred_talks")

    def __init__(self, log: ChangeLog, stars: Stars) -> None:
        self.last_seq = log.last_seq
        self.changes = log.changes
        self.envelope = log.envelope
        self.starred_by = stars.starred_by
        self.starred_talks = stars.starred_talks
