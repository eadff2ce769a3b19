"""Routes outside any event: the front door and the language switch."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from messe.i18n import LANGUAGES
from messe.programme.models import Event
from messe.web.forms import read_form
from messe.web.templates import LANGUAGE_COOKIE, render


async def front_door(request: Request) -> Response:
    """``/`` leads to the current event, or lists the events when none is current."""
    current = await Event.filter(is_current=True).order_by("-starts_at").first()
    if current is not None:
        return RedirectResponse(f"/{current.slug}/", status_code=307)
    return render(request, "people/events.html", {"event": None, "events": await Event.all()})


async def choose_language(request: Request) -> Response:
    form = await read_form(request)
    language = str(form.get("lang", ""))
    target = str(form.get("next", "/"))
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"
    response = RedirectResponse(target, status_code=303)
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


routes = [
    Route("/", front_door, methods=["GET"]),
    Route("/language", choose_language, methods=["POST"]),
]
