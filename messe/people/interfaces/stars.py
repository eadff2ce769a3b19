"""The personal schedule: the signed-in attendee's starred talks for the phone app, and the
starred talks as iCalendar, both as a feed that calendar apps subscribe to (its address is the
credential, see messe.people.domain.calendar_feed) and as a file of the talks a phone names."""

from __future__ import annotations

import dataclasses
import re

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from messe.common.models import Event
from messe.people.domain.bookmarks import merge_stars, star, starred_talk_ids, unstar
from messe.people.domain.calendar_feed import FeedHolder, feed_holder, feed_token
from messe.people.models import Attendee
from messe.programme.domain import ical
from messe.programme.domain.programme import published_programme
from messe.programme.domain.site import Site
from messe.programme.interfaces.caching import answer, etag_for, programme_version
from messe.web.api import MAX_ID, ApiRoute, Operation, path_id, read_json
from messe.web.context import current_event, require_role, session_claim, signed_in_attendee
from messe.web.errors import ApiError
from messe.web.security import no_store
from messe.web.templates import language_of, render, translate

ATTENDEE = ("attendee",)
TALK_ID = re.compile(r"[0-9]{1,10}")
TAGS = ("Personligt program",)


class Stars(BaseModel):
    talk_ids: list[int]


class StarsMerge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    talk_ids: list[int] = Field(max_length=500)


async def my_stars(request: Request) -> Response:
    attendee = await signed_in_attendee(request)
    if request.method == "POST":
        body = await read_json(request, StarsMerge)
        return JSONResponse({"talk_ids": await merge_stars(attendee, body.talk_ids)})
    return JSONResponse({"talk_ids": await starred_talk_ids(attendee.id)})


async def my_star(request: Request) -> Response:
    attendee = await signed_in_attendee(request)
    talk_id = path_id(request, "talk_id")
    if request.method == "PUT":
        if not await star(attendee, talk_id):
            raise ApiError(404, "Indlægget findes ikke")
    else:
        await unstar(attendee, talk_id)
    return JSONResponse({"talk_ids": await starred_talk_ids(attendee.id)})


def feed_address(request: Request, event: Event, attendee_id: int) -> str:
    """Where the signed-in attendee's calendar feed lives (in the language they read the page in).
    It holds the session generation, which signing in has checked is the attendee's current one."""
    settings = request.app.state.settings
    claim = session_claim(request)
    token = feed_token(settings.secret_key, event.slug, FeedHolder(attendee_id, claim.generation if claim else 0))
    language = "?lang=en" if language_of(request) == "en" else ""
    return f"{settings.base_url}/{event.slug}/me/{token}/schedule.ics{language}"


async def _calendar(request: Request, event: Event, talk_ids: list[int], headers: dict[str, str]) -> Response:
    async def build() -> Response:
        programme = await published_programme(event)
        wanted = set(talk_ids)
        chosen = dataclasses.replace(programme, talks=[t for t in programme.talks if t["id"] in wanted])
        body = ical.calendar(chosen, Site(base_url=request.app.state.settings.base_url, version=""),
                             cancelled_prefix=translate(request, "Aflyst") + ": ",
                             name=f"{translate(request, 'Mit program')} – {event.name}")
        return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)

    etag = etag_for("my-calendar", programme_version(event), talk_ids, language_of(request))
    return await answer(request, etag, build, personal=True)


async def calendar_page(request: Request) -> Response:
    """The signed-in attendee's calendar feed address, on a page of its own that no cache keeps."""
    principal = await require_role(request, "attendee")
    event = await current_event(request)
    feed = feed_address(request, event, principal.attendee_id or 0)
    webcal = feed.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1)
    return render(request, "people/my_calendar.html", {"event": event, "feed": feed, "webcal": webcal})


async def calendar_feed(request: Request) -> Response:
    """The starred talks of the attendee the address names; calendar apps fetch it without a session."""
    event = await current_event(request)
    holder = feed_holder(request.app.state.settings.secret_key, event.slug, request.path_params["token"])
    if holder is None or not await Attendee.exists(id=holder.attendee_id, event=event, erased_at=None,
                                                   session_generation=holder.session_generation):
        raise ApiError(404, "Kalenderen findes ikke")
    return await _calendar(request, event, await starred_talk_ids(holder.attendee_id), {})


async def calendar_file(request: Request) -> Response:
    """The talks in ``?talks=1,2,3`` as a calendar file: the phone's stars, before signing in."""
    event = await current_event(request)
    words = request.query_params.get("talks", "").split(",")[:500]
    talk_ids = sorted({int(w) for w in words if TALK_ID.fullmatch(w) and 0 < int(w) <= MAX_ID})
    return await _calendar(request, event, talk_ids,
                           {"Content-Disposition": 'attachment; filename="mit-program.ics"'})


routes = [
    Route("/me/calendar", no_store(calendar_page), methods=["GET"]),
    Route("/me/schedule.ics", calendar_file, methods=["GET"]),
    Route("/me/{token}/schedule.ics", calendar_feed, methods=["GET"]),
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
