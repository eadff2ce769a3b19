"""The door staff's page: scan badges, see counts, find registered people at the desk (check them
in by hand, reprint their badge), register walk-ins and print their badge."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.badges.domain.printing import print_badge
from messe.checkin.domain.checkins import Staffer
from messe.checkin.domain.counts import checkin_counts
from messe.checkin.domain.desk import as_found
from messe.checkin.domain.walk_ins import WalkIn, register_walk_in
from messe.checkin.interfaces.desk import DOOR, grant_desk
from messe.checkin.interfaces.schemas import DeskPerson, WalkInForm
from messe.common.refusal import Refusal
from messe.i18n import Counted
from messe.people.models import Attendee
from messe.scanning.interfaces.pages import field_messages, scanner_config, service_worker, sign_in_first
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
    "desk": {
        "short": "Skriv mindst to bogstaver for at søge",
        "searching": "Søger …",
        "none": "Ingen fundet",
        "found": Counted("{count} person fundet", "{count} personer fundet"),
        "checkIn": "Tjek ind",
        "reprint": "Genudskriv badge",
        "notIn": "Ikke tjekket ind",
        "inAt": "Tjekket ind kl. {time}",
        "version": "Badge version {version}",
        "confirmReprint": "Genudskriv badge til {name}? Det nuværende badge holder op med at virke.",
        "reprinted": "Nyt badge til {name} (version {version}) er klar; det gamle virker ikke længere",
        "openPdf": "Åbn badget til {name} (PDF)",
        "failed": "Det lykkedes ikke: {error}",
        "offline": "Ingen forbindelse – prøv igen, når der er net",
    },
}


async def _door_page(request: Request, form: dict[str, str], errors: dict[str, str], status_code: int = 200,
                     registered: Attendee | None = None) -> Response:
    """The door page; ``registered`` is the person a walk-in's e-mail already belongs to, offered
    at the desk to check in or reprint instead."""
    event = await current_event(request)
    config = await scanner_config(request, "door", DOOR_TEXT, scan=f"/{event.slug}/api/checkins",
                                  counts=f"/{event.slug}/api/checkins/counts",
                                  search=f"/{event.slug}/api/checkins/search",
                                  print=f"/{event.slug}/api/badges/{{id}}/print")
    if registered is not None:
        config["found"] = [DeskPerson.of(await as_found(registered)).model_dump(mode="json")]
    return render(request, "checkin/door.html", {
        "event": event, "config": config, "counts": await checkin_counts(event), "form": form, "errors": errors,
        "registered": registered, "client_id": uuid.uuid4().hex}, status_code=status_code)


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
    staffer = Staffer(principal.label, principal.account_id, data.door or principal.name)
    try:
        attendee, result = await register_walk_in(event, walk, staffer, client_id=data.client_id,
                                                  desk=principal.device)
    except Refusal as exc:
        if not isinstance(exc.subject, Attendee):
            raise
        await grant_desk(event, principal, [exc.subject.id])
        return await _door_page(request, values, field_messages(request, exc), status_code=409,
                                registered=exc.subject)
    await print_badge(event, attendee, principal.label, reprint=False)
    return render(request, "checkin/walk_in.html", {
        "event": event, "attendee": attendee, "checkin": result.checkin,
        "badge_url": f"/{event.slug}/badges/{attendee.id}.pdf"})


routes = [
    Route("/checkin/", door_page, methods=["GET"]),
    Route("/checkin/walk-in", walk_in, methods=["POST"]),
    Route("/checkin/sw.js", service_worker, methods=["GET"]),
]
