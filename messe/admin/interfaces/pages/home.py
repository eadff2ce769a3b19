"""The admin home: the fair in numbers and the way to every section."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.domain.overview import overview
from messe.admin.interfaces.view import page
from messe.web.context import current_event


async def home(request: Request) -> Response:
    event = await current_event(request)
    return await page(request, "admin/home.html", "", {"overview": await overview(event)})


routes = [Route("/", home, methods=["GET"])]
