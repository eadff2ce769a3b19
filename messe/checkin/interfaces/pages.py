"""The door staff's page: scan badges, see counts, register walk-ins and print their badge."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.badges.domain.printing import mark_printed
from messe.checkin.domain.counts import checkin_counts
from messe.checkin.domain.walk_ins import WalkIn, register_walk_in
from messe.checkin.interfaces.api import DOOR
from messe.checkin.interfaces.scanner_pages import field_messages, scanner_config, service_worker, sign_in_first
from messe.checkin.interfaces.schemas import WalkInForm
from messe.web.api import validate
from messe.web.context import current_event, require_role
from messe.web.errors import ApiError
from messe.web.forms import read_form
from messe.web.templates import render

DOOR_TEXT = {
    "checkedIn": "Tjekket ind",
    "checkedInOffline": "Tjekket ind – sendes, når der er net",
    "already": "Allerede tjekket ind",
    "alreadyDetail": "kl. {time} ved {door}",
    "alreadyHere": "kl. {time} på denne enhed",
    "invalid": "Ugyldigt badge",
    "superseded": "Erstattet badge – bed om det nye",
    "counts": "{checked} af {total} tjekket ind",
}


async def _door_page(request: Request, form: dict[str, str], errors: dict[str, str],
                     status_code: int = 200) -> Response:
    event = await current_event(request)
    config = await scanner_config(request, "door", DOOR_TEXT, scan=f"/{event.slug}/api/checkins",
                                  counts=f"/{event.slug}/api/checkins/counts")
    return render(request, "checkin/door.html", {
        "event": event, "config": config, "counts": await checkin_counts(event), "form": form, "errors": errors,
        "client_id": uuid.uuid4().hex}, status_code=status_code)


async def door_page(request: Request) -> Response:
    if redirect := await sign_in_first(request):
        return redirect
    await require_role(request, *DOOR)
    return await _door_page(request, {}, {})


async def walk_in(request: Request) -> Response:
    principal = await require_role(request, *DOOR)
    event = await current_event(request)
    form = await read_form(request)
    values = {key: str(value) for key, value in form.items()}
    try:
        data = validate(WalkInForm, values)
    except ApiError as exc:
        return await _door_page(request, values, field_messages(request, exc), status_code=422)
    walk = WalkIn(**data.model_dump(exclude={"client_id", "door"}))
    attendee, result = await register_walk_in(event, walk, client_id=data.client_id,
                                              door=data.door or principal.name, account_id=principal.account_id)
    await mark_printed([attendee])
    return render(request, "checkin/walk_in.html", {
        "event": event, "attendee": attendee, "checkin": result.checkin,
        "badge_url": f"/{event.slug}/badges/{attendee.id}.pdf"})


routes = [
    Route("/checkin/", door_page, methods=["GET"]),
    Route("/checkin/walk-in", walk_in, methods=["POST"]),
    Route("/checkin/sw.js", service_worker, methods=["GET"]),
]
