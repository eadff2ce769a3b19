"""Talks with more stars than seats, each with a larger free stage; one click takes the move to the
same impact preview as any other move."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.domain.capacity import crowded_talks
from messe.admin.interfaces.pages.talks import initial_values
from messe.admin.interfaces.view import page
from messe.programme.models import Talk
from messe.web.context import current_event

SECTION = "programme"


async def capacity(request: Request) -> Response:
    event = await current_event(request)
    crowded = await crowded_talks(event)
    await Talk.fetch_for_list([c.load.talk for c in crowded], "speakers")
    moves = {c.load.talk.id: {**initial_values(event, c.load.talk), "stage_id": c.suggestion.id}
             for c in crowded if c.suggestion}
    return await page(request, "admin/capacity.html", SECTION, {"crowded": crowded, "moves": moves})


routes = [Route("/programme/capacity", capacity, methods=["GET"])]
