"""Resolving the event in the URL and the person making the request, and checking roles.

Who a token or a session names is the people part's to say (messe.people.domain.principals); this
module reads them from the request, once, and answers 401 or 403.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from messe.common.audit import acting
from messe.common.models import Event
from messe.people.domain.principals import (
    ANONYMOUS,
    ATTENDEE,
    ORGANISER,
    Principal,
    attendee_of,
    principal_for_session,
    principal_for_token,
)
from messe.people.domain.sessions import SessionClaim
from messe.web.errors import ApiError

if TYPE_CHECKING:
    from messe.people.models import Attendee

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

SESSION_ACCOUNT = "account_id"
SESSION_ATTENDEE = "attendee_id"
SESSION_EVENT = "event_id"
SESSION_GENERATION = "session_generation"
SESSION_ID = "session_id"


def session_claim(conn: HTTPConnection) -> SessionClaim | None:
    """What the request's session cookie says about itself (None without a signed-in session)."""
    if "session" not in conn.scope:
        return None
    generation, session_id = conn.session.get(SESSION_GENERATION), conn.session.get(SESSION_ID)
    if not isinstance(generation, int) or not isinstance(session_id, str):
        return None
    return SessionClaim(generation, session_id)


async def current_event(conn: HTTPConnection) -> Event:
    cached = getattr(conn.state, "event", None)
    if cached is not None:
        return cached
    slug = conn.path_params.get("event", "")
    event = await conn.app.state.events.get(slug) if SLUG_PATTERN.match(slug) else None
    if event is None:
        raise ApiError(404, "Arrangementet findes ikke")
    conn.state.event = event
    return event


async def _principal_from_token(event: Event, token: str) -> Principal:
    principal = await principal_for_token(event, token)
    if principal is None:
        raise ApiError(401, "Ukendt eller tilbagekaldt token", headers={"WWW-Authenticate": "Bearer"})
    return principal


async def _principal_from_session(conn: HTTPConnection, event: Event) -> Principal:
    if "session" not in conn.scope or conn.session.get(SESSION_EVENT) != event.id:
        return ANONYMOUS
    principal = await principal_for_session(event, session_claim(conn), conn.session.get(SESSION_ACCOUNT),
                                            conn.session.get(SESSION_ATTENDEE))
    if principal is None:
        conn.session.clear()  # an ended session (or a removed person): the cookie is dropped
        return ANONYMOUS
    return principal


async def current_principal(conn: HTTPConnection) -> Principal:
    cached = getattr(conn.state, "principal", None)
    if cached is not None:
        acting(cached.label, cached.kind)
        return cached
    event = await current_event(conn)
    auth = conn.headers.get("authorization", "")
    if auth:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "Ugyldig Authorization-header; brug 'Bearer <token>'",
                           headers={"WWW-Authenticate": "Bearer"})
        principal = await _principal_from_token(event, token.strip())
    else:
        principal = await _principal_from_session(conn, event)
    conn.state.principal = principal
    acting(principal.label, principal.kind)  # the audit log names this person's role
    return principal


async def require_role(conn: HTTPConnection, *roles: str) -> Principal:
    """The request's principal if it has one of ``roles``; 401 when anonymous, 403 otherwise."""
    principal = await current_principal(conn)
    if principal.kind in roles:
        return principal
    if principal.is_anonymous:
        raise ApiError(401, "Log ind for at fortsætte", headers={"WWW-Authenticate": "Bearer"})
    raise ApiError(403, "Du har ikke adgang til denne side")


async def signed_in_attendee(conn: HTTPConnection) -> Attendee:
    """The attendee whose own data this is (their stars, pushes, personal data); 401/403 otherwise."""
    return await attendee_of(await require_role(conn, ATTENDEE))


async def require_organiser(conn: HTTPConnection) -> Principal:
    return await require_role(conn, ORGANISER)


class EventContextMiddleware:
    """Resolves the event and the signed-in person once, before any route under ``/{event}`` runs,
    so every page (and its error page) knows who is looking."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            conn = HTTPConnection(scope)
            await current_event(conn)
            await current_principal(conn)
        await self.app(scope, receive, send)
