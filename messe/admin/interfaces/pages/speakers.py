"""Speakers: list, create, edit. A changed speaker reaches attendees with the next publication."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.functions import Count

from messe.admin.interfaces.records import record_page
from messe.admin.interfaces.schemas import SpeakerForm
from messe.admin.interfaces.view import page
from messe.programme.models import Speaker
from messe.web.context import current_event

SECTION = "speakers"


async def speaker_list(request: Request) -> Response:
    event = await current_event(request)
    speakers = await Speaker.filter(event=event).annotate(talk_count=Count("talks")).order_by("name", "id")
    return await page(request, "admin/speakers.html", SECTION, {"speakers": speakers})


async def speaker_form(request: Request) -> Response:
    return await record_page(request, Speaker, section=SECTION, template="admin/speaker_form.html",
                             schema=SpeakerForm, unique=("code",), not_found="Taleren findes ikke")


routes = [
    Route("/speakers", speaker_list, methods=["GET"]),
    Route("/speakers/new", speaker_form, methods=["GET", "POST"]),
    Route("/speakers/{id:int}", speaker_form, methods=["GET", "POST"]),
]
