"""Signed-in sessions that can be ended.

A session is a signed cookie, so the server keeps what ends one with the person it signs in: the
cookie carries the person's session generation at sign-in and an id of its own. Raising the
generation ends every session of that person at once (a new password, a new personal link,
deactivation, "sign out everywhere"); signing out adds the one session's id to the person's
``ended_sessions``. Checking either costs nothing more than reading the person's row, which every
signed-in request does anyway.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from messe.people.models import Account, Attendee

Person = Account | Attendee

# ``ended_sessions`` holds ids separated by spaces; when it is full, the next sign-out ends every session.
_ENDED_ROOM = 255


@dataclass(frozen=True)
class SessionClaim:
    """What a session cookie says about itself."""

    generation: int
    session_id: str


def new_session(person: Person) -> SessionClaim:
    return SessionClaim(person.session_generation, secrets.token_urlsafe(8))


def session_alive(person: Person, claim: SessionClaim | None) -> bool:
    return (claim is not None and claim.generation == person.session_generation
            and bool(claim.session_id) and claim.session_id not in person.ended_sessions.split())


async def signed_in(person: Person) -> SessionClaim:
    """A new session for ``person``, and "last signed in" set to now."""
    person.last_login_at = datetime.now(UTC)
    await person.save(update_fields=["last_login_at"])
    return new_session(person)


def end_every_session_unsaved(person: Person) -> list[str]:
    """End every session of ``person`` in memory; the fields to save with the caller's own change."""
    person.session_generation += 1
    person.ended_sessions = ""
    person.sessions_ended_at = datetime.now(UTC)
    return ["session_generation", "ended_sessions", "sessions_ended_at"]


async def end_every_session(person: Person) -> None:
    await person.save(update_fields=end_every_session_unsaved(person))


async def end_session(person: Person, claim: SessionClaim) -> None:
    """End the one session ``claim`` describes (signing out on this device)."""
    if not session_alive(person, claim):
        return
    ended = f"{person.ended_sessions} {claim.session_id}".strip()
    if len(ended) > _ENDED_ROOM:
        await end_every_session(person)
        return
    person.ended_sessions = ended
    await person.save(update_fields=["ended_sessions"])
