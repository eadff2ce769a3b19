"""Rendering admin pages: the admin layout's context, one-time notices, and redirects."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from messe.admin.interfaces.sections import SECTIONS
from messe.common.models import Event
from messe.expo.domain.stands import by_stand
from messe.expo.models import Exhibitor
from messe.web.context import current_event
from messe.web.templates import render, translate, translate_plural

FLASH = "admin_flash"
# How the pages name the account roles (Danish; the templates translate them).
ACCOUNT_ROLES = {"organiser": "Arrangør", "door": "Dørpersonale", "exhibitor": "Udstillerpersonale"}
# How the pages name a talk's state (Danish; the templates translate them).
# The state attendees see of a talk (messe.programme.domain.release.public_state): "Kladde" until published.
TALK_STATES = {"draft": "Kladde", "published": "Offentliggjort", "cancelled": "Aflyst"}
# What the next publication does with a talk, as its form offers the choice (the draft's state).
DRAFT_STATES = {"draft": "Holdes tilbage", "published": "I programmet", "cancelled": "Aflyst"}
NO_STORE = {"Cache-Control": "no-store"}


def flash(request: Request, message: str, kind: str = "ok", *, plural: str | None = None, **values: Any) -> None:
    """A notice for the next admin page this browser shows, in the organiser's language; with
    ``plural``, ``message`` is the singular and ``values["count"]`` chooses between them."""
    text = (translate_plural(request, message, plural, **values) if plural is not None
            else translate(request, message, **values))
    request.session[FLASH] = [*request.session.get(FLASH, []), [kind, text]]


async def page(request: Request, name: str, section: str, context: dict[str, Any] | None = None,
               status_code: int = 200) -> Response:
    """An admin page; ``section`` marks the current entry of the admin navigation."""
    event = await current_event(request)
    return render(request, name, {
        "event": event, "sections": SECTIONS, "section": section, "account_roles": ACCOUNT_ROLES,
        "talk_states": TALK_STATES, "draft_states": DRAFT_STATES,
        "flashes": request.session.pop(FLASH, []), **(context or {}),
    }, status_code=status_code, headers=NO_STORE)


def hall_choices(event: Event) -> list[tuple[str, str]]:
    """The event's halls as (code, name) options."""
    return [(hall["code"], hall["name"]) for hall in event.halls]


async def exhibitor_choices(event: Event) -> list[tuple[int, str]]:
    """The event's exhibitors as (id, "stand – name") options."""
    return [(e.id, f"{e.stand} – {e.name}") for e in by_stand(await Exhibitor.filter(event=event))]


async def redirect(request: Request, path: str) -> Response:
    """303 to ``/{event}/admin/{path}``."""
    event = await current_event(request)
    return RedirectResponse(f"/{event.slug}/admin/{path}", status_code=303)
