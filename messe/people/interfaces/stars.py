"""The signed-in attendee's starred talks, for the phone app."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from messe.people.domain.bookmarks import merge_stars, star, starred_talk_ids, unstar
from messe.people.models import Attendee
from messe.web.api import ApiRoute, Operation, path_id, read_json
from messe.web.context import require_role
from messe.web.errors import ApiError

ATTENDEE = ("attendee",)
TAGS = ("Personligt program",)


class Stars(BaseModel):
    talk_ids: list[int]


class StarsMerge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    talk_ids: list[int] = Field(max_length=500)


async def _attendee(request: Request) -> Attendee:
    principal = await require_role(request, *ATTENDEE)
    return await Attendee.get(id=principal.attendee_id)


async def my_stars(request: Request) -> Response:
    attendee = await _attendee(request)
    if request.method == "POST":
        body = await read_json(request, StarsMerge)
        return JSONResponse({"talk_ids": await merge_stars(attendee, body.talk_ids)})
    return JSONResponse({"talk_ids": await starred_talk_ids(attendee.id)})


async def my_star(request: Request) -> Response:
    attendee = await _attendee(request)
    talk_id = path_id(request, "talk_id")
    if request.method == "PUT":
        if not await star(attendee, talk_id):
            raise ApiError(404, "Indlægget findes ikke")
    else:
        await unstar(attendee, talk_id)
    return JSONResponse({"talk_ids": await starred_talk_ids(attendee.id)})


routes = [
    ApiRoute("/api/me/stars", my_stars, {
        "GET": Operation("Mine stjernemarkerede indlæg", ATTENDEE, response=Stars, tags=TAGS),
        "POST": Operation("Flet stjerner fra telefonen ind i mit program", ATTENDEE, body=StarsMerge,
                          response=Stars, tags=TAGS),
    }),
    ApiRoute("/api/me/stars/{talk_id:int}", my_star, {
        "PUT": Operation("Stjernemarkér et indlæg", ATTENDEE, response=Stars, tags=TAGS),
        "DELETE": Operation("Fjern stjernen fra et indlæg", ATTENDEE, response=Stars, tags=TAGS),
    }),
]
