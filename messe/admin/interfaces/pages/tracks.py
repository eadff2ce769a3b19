"""Tracks: list, create, edit. A changed track reaches attendees with the next publication."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.functions import Count

from messe.admin.interfaces.records import record_page
from messe.admin.interfaces.schemas import TrackForm
from messe.admin.interfaces.view import page
from messe.programme.models import Track
from messe.web.context import current_event

SECTION = "tracks"


async def track_list(request: Request) -> Response:
    event = await current_event(request)
    tracks = await Track.filter(event=event).annotate(talk_count=Count("talks")).order_by("name")
    return await page(request, "admin/tracks.html", SECTION, {"tracks": tracks})


async def track_form(request: Request) -> Response:
    return await record_page(request, Track, section=SECTION, template="admin/track_form.html", schema=TrackForm,
                             unique=("code",), not_found="Sporet findes ikke", defaults={"color": "#1f4e79"})


routes = [
    Route("/tracks", track_list, methods=["GET"]),
    Route("/tracks/new", track_form, methods=["GET", "POST"]),
    Route("/tracks/{id:int}", track_form, methods=["GET", "POST"]),
]
