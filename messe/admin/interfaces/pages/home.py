"""The admin home: the fair in numbers, the way to every section, and the code that shows the
programme on another site (``/<event>/embed`` in a frame)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.interfaces.view import page
from messe.reports.domain.overview import overview
from messe.web.context import current_event


async def home(request: Request) -> Response:
    event = await current_event(request)
    settings = request.app.state.settings
    return await page(request, "admin/home.html", "", {
        "overview": await overview(event), "embed_url": f"{settings.base_url}/{event.slug}/embed",
        "embed_origins": settings.embed_origins})


routes = [Route("/", home, methods=["GET"])]
