"""Routes outside any event: the front door and the language switch."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from messe.common.models import Event
from messe.i18n import LANGUAGES
from messe.people.models import Attendee
from messe.web.context import SESSION_ATTENDEE
from messe.web.forms import read_form
from messe.web.templates import remember_language, render


async def front_door(request: Request) -> Response:
    """``/`` leads to the current event, or lists the events when none is current."""
    current = await Event.filter(is_current=True).order_by("-starts_at").first()
    if current is not None:
        return RedirectResponse(f"/{current.slug}/", status_code=307)
    return render(request, "people/events.html", {"event": None, "events": await Event.all()})


async def choose_language(request: Request) -> Response:
    form = await read_form(request, sessionless=True)
    language = str(form.get("lang", ""))
    target = str(form.get("next", "/"))
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"
    response = RedirectResponse(target, status_code=303)
    if language in LANGUAGES:
        remember_language(request, response, language)
        # A signed-in attendee's choice also decides the language of the mails they get.
        if attendee_id := request.session.get(SESSION_ATTENDEE):
            await Attendee.filter(id=attendee_id, erased_at=None).update(language=language)
    return response


routes = [
    Route("/", front_door, methods=["GET"]),
    Route("/language", choose_language, methods=["POST"]),
]
