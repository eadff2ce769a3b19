"""An attendee's own data: see it, download it, erase it. Organisers can erase an attendee."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from messe.people.domain.privacy import erase_attendee, personal_data
from messe.people.models import Attendee
from messe.web.api import ApiRoute, Operation, path_id
from messe.web.context import current_event, require_organiser, signed_in_attendee
from messe.web.errors import ApiError
from messe.web.forms import read_form
from messe.web.security import forget_on_this_device, no_store
from messe.web.templates import render


async def my_data_page(request: Request) -> Response:
    attendee = await signed_in_attendee(request)
    return render(request, "people/my_data.html",
                  {"event": await current_event(request), "data": await personal_data(attendee)})


async def my_data_download(request: Request) -> Response:
    attendee = await signed_in_attendee(request)
    body = json.dumps(await personal_data(attendee), ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="mine-data.json"'})


async def erase_me(request: Request) -> Response:
    attendee = await signed_in_attendee(request)
    event = await current_event(request)
    form = await read_form(request)
    if form.get("confirm") != "yes":
        return render(request, "people/my_data.html", {
            "event": event, "data": await personal_data(attendee), "confirm_missing": True}, status_code=422)
    await erase_attendee(attendee, actor="deltageren selv")
    request.session.clear()
    return forget_on_this_device(RedirectResponse(f"/{event.slug}/?erased=1", status_code=303))


async def erase_attendee_api(request: Request) -> Response:
    principal = await require_organiser(request)
    event = await current_event(request)
    attendee = await Attendee.get_or_none(id=path_id(request), event=event, erased_at=None)
    if attendee is None:
        raise ApiError(404, "Deltageren findes ikke")
    await erase_attendee(attendee, actor=principal.label)
    return Response(status_code=204)


routes = [
    Route("/me/data", no_store(my_data_page), methods=["GET"]),
    Route("/me/data.json", no_store(my_data_download), methods=["GET"]),
    Route("/me/erase", erase_me, methods=["POST"]),
    ApiRoute("/api/attendees/{id:int}/erase", erase_attendee_api, {
        "POST": Operation("Slet en deltagers persondata (leads beholder kun bedømmelse og mærker)",
                          ("organiser",), status=204, tags=("Deltagere",)),
    }),
]
