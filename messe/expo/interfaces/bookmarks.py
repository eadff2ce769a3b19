"""The stands the signed-in attendee saved in "Mit program": the same calls as their stars
(messe.people.interfaces.stars), so the phone keeps both the same way (static/js/app/synced.js)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from messe.expo.domain.stand_bookmarks import merge_stands, remove_stand, save_stand, saved_exhibitor_ids
from messe.web.api import ApiRoute, Operation, path_id, read_json
from messe.web.context import require_role, signed_in_attendee
from messe.web.errors import ApiError

ATTENDEE = ("attendee",)
TAGS = ("Personligt program",)


class Stands(BaseModel):
    exhibitor_ids: list[int]


class StandsMerge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exhibitor_ids: list[int] = Field(max_length=500)


async def my_stands(request: Request) -> Response:
    attendee = await signed_in_attendee(request)
    if request.method == "POST":
        body = await read_json(request, StandsMerge)
        actor = (await require_role(request, "attendee")).label
        return JSONResponse({"exhibitor_ids": await merge_stands(attendee, body.exhibitor_ids, actor)})
    return JSONResponse({"exhibitor_ids": await saved_exhibitor_ids(attendee.id)})


async def my_stand(request: Request) -> Response:
    attendee = await signed_in_attendee(request)
    actor = (await require_role(request, "attendee")).label
    exhibitor_id = path_id(request, "exhibitor_id")
    if request.method == "PUT":
        if not await save_stand(attendee, exhibitor_id, actor):
            raise ApiError(404, "Udstilleren findes ikke")
    else:
        await remove_stand(attendee, exhibitor_id, actor)
    return JSONResponse({"exhibitor_ids": await saved_exhibitor_ids(attendee.id)})


routes = [
    ApiRoute("/api/me/stands", my_stands, {
        "GET": Operation("Mine gemte stande", ATTENDEE, response=Stands, tags=TAGS),
        "POST": Operation("Flet stande gemt på telefonen ind i mit program", ATTENDEE, body=StandsMerge,
                          response=Stands, tags=TAGS),
    }),
    ApiRoute("/api/me/stands/{exhibitor_id:int}", my_stand, {
        "PUT": Operation("Gem en stand i mit program", ATTENDEE, response=Stands, tags=TAGS),
        "DELETE": Operation("Fjern en stand fra mit program", ATTENDEE, response=Stands, tags=TAGS),
    }),
]
