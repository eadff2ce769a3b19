"""REST endpoints for attendees and organisations (organisers only)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from tortoise.expressions import Q

from messe.people.domain.attendees import add_attendee, delete_attendee, edit_attendee
from messe.people.interfaces.lookup import attendee_or_404
from messe.people.interfaces.schemas import AttendeeIn, AttendeeOut, AttendeePatch, OrganisationOut
from messe.people.models import Attendee, Organisation
from messe.web.api import SEARCH_PARAMETER, ApiRoute, Operation, paginate, read_json, search_text
from messe.web.context import current_event, require_organiser

ORGANISER = ("organiser",)
TAGS = ("Deltagere",)
# Fields a PATCH may leave out but not send as null (the text fields' null means "empty").


async def attendees(request: Request) -> Response:
    principal = await require_organiser(request)
    event = await current_event(request)
    if request.method == "POST":
        body = await read_json(request, AttendeeIn)
        attendee = await add_attendee(event, body.model_dump(), actor=principal.label)
        await attendee.fetch_related("organisation")
        return JSONResponse(AttendeeOut.of(attendee).model_dump(), status_code=201,
                            headers={"Location": f"/{event.slug}/api/attendees/{attendee.id}"})
    query = Attendee.filter(event=event, erased_at=None)
    search = search_text(request)
    if search:
        query = query.filter(Q(name__icontains=search) | Q(email__icontains=search)
                             | Q(organisation__name__icontains=search))
    items, meta = await paginate(request, query.prefetch_related("organisation").order_by("name", "id"))
    return JSONResponse({"items": [AttendeeOut.of(a).model_dump() for a in items], **meta})


async def attendee_detail(request: Request) -> Response:
    principal = await require_organiser(request)
    attendee = await attendee_or_404(request)
    if request.method == "PATCH":
        body = await read_json(request, AttendeePatch)
        body.refuse_nulls()
        changes = body.model_dump(exclude_unset=True)
        changes = {k: ("" if v is None else v) for k, v in changes.items()}
        await edit_attendee(attendee, changes, actor=principal.label)
        await attendee.fetch_related("organisation")
    elif request.method == "DELETE":
        await delete_attendee(attendee, actor=principal.label)
        return Response(status_code=204)
    return JSONResponse(AttendeeOut.of(attendee).model_dump())


async def organisations(request: Request) -> Response:
    await require_organiser(request)
    event = await current_event(request)
    items, meta = await paginate(request, Organisation.filter(event=event).order_by("name"))
    return JSONResponse({"items": [OrganisationOut(id=o.id, name=o.name, kind=o.kind).model_dump()
                                   for o in items], **meta})


routes = [
    ApiRoute("/api/attendees", attendees, {
        "GET": Operation("Deltagere, søgbare med ?q= på navn, organisation og e-mail", ORGANISER,
                         response=AttendeeOut, paged=True, tags=TAGS,
                         query=(SEARCH_PARAMETER,)),
        "POST": Operation("Opret en deltager", ORGANISER, body=AttendeeIn, response=AttendeeOut, status=201,
                          tags=TAGS),
    }),
    ApiRoute("/api/attendees/{id:int}", attendee_detail, {
        "GET": Operation("Én deltager", ORGANISER, response=AttendeeOut, tags=TAGS),
        "PATCH": Operation("Ret en deltager", ORGANISER, body=AttendeePatch, response=AttendeeOut, tags=TAGS),
        "DELETE": Operation("Slet en deltager", ORGANISER, status=204, tags=TAGS),
    }),
    ApiRoute("/api/organisations", organisations, {
        "GET": Operation("Organisationer", ORGANISER, response=OrganisationOut, paged=True, tags=TAGS),
    }),
]
