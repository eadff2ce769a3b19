"""REST endpoints for exhibitors: anyone reads, organisers write."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from tortoise.expressions import Q

from messe.common.records import delete_record, save_record
from messe.expo.domain.stands import in_stand_order
from messe.expo.interfaces.schemas import ExhibitorIn, ExhibitorOut, ExhibitorPatch
from messe.expo.models import Exhibitor
from messe.web.api import SEARCH_PARAMETER, ApiRoute, Operation, paginate, path_id, read_json, search_text
from messe.web.context import current_event, require_organiser
from messe.web.errors import ApiError
from messe.web.public_cache import share

ORGANISER = ("organiser",)
TAGS = ("Udstillere",)


async def exhibitors(request: Request) -> Response:
    event = await current_event(request)
    if request.method == "POST":
        principal = await require_organiser(request)
        body = await read_json(request, ExhibitorIn)
        values = body.model_dump()
        values["stand"] = values["stand"].upper()
        exhibitor = await save_record(Exhibitor, event, None, values, unique=("stand",), actor=principal.label)
        return JSONResponse(ExhibitorOut.of(exhibitor).model_dump(), status_code=201,
                            headers={"Location": f"/{event.slug}/api/exhibitors/{exhibitor.id}"})
    query = Exhibitor.filter(event=event)
    search = search_text(request)
    if search:
        query = query.filter(Q(name__icontains=search) | Q(stand__iexact=search)
                             | Q(description__icontains=search))
    items, meta = await paginate(request, in_stand_order(query))
    share(request)
    return JSONResponse({"items": [ExhibitorOut.of(e).model_dump() for e in items], **meta})


async def exhibitor_detail(request: Request) -> Response:
    event = await current_event(request)
    exhibitor = await Exhibitor.get_or_none(id=path_id(request), event=event)
    if request.method != "GET":
        principal = await require_organiser(request)
    if exhibitor is None:
        raise ApiError(404, "Udstilleren findes ikke")
    if request.method == "PATCH":
        body = await read_json(request, ExhibitorPatch)
        changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
        if "stand" in changes:
            changes["stand"] = changes["stand"].upper()
        exhibitor = await save_record(Exhibitor, event, exhibitor.id, changes, unique=("stand",),
                                      actor=principal.label)
    elif request.method == "DELETE":
        await delete_record(exhibitor, actor=principal.label)
        return Response(status_code=204)
    return JSONResponse(ExhibitorOut.of(exhibitor).model_dump())


STAND_RULE = "En stand kan kun tildeles én udstiller."

routes = [
    ApiRoute("/api/exhibitors", exhibitors, {
        "GET": Operation("Udstillere, søgbare med ?q= på navn, stand og beskrivelse", response=ExhibitorOut,
                         paged=True, tags=TAGS, query=(SEARCH_PARAMETER,)),
        "POST": Operation("Opret en udstiller", ORGANISER, body=ExhibitorIn, response=ExhibitorOut, status=201,
                          rules=STAND_RULE, tags=TAGS),
    }),
    ApiRoute("/api/exhibitors/{id:int}", exhibitor_detail, {
        "GET": Operation("Én udstiller", response=ExhibitorOut, tags=TAGS),
        "PATCH": Operation("Ret en udstiller", ORGANISER, body=ExhibitorPatch, response=ExhibitorOut,
                           rules=STAND_RULE, tags=TAGS),
        "DELETE": Operation("Slet en udstiller", ORGANISER, status=204, tags=TAGS),
    }),
]
