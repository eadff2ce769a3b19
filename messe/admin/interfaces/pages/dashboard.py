"""The live dashboard: phones connected, check-ins over time, scans per exhibitor, the most
starred talks against their stage's seats. The page refreshes its figures every few seconds
(static/js/admin/dashboard.js asks for the page again and swaps them in)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.interfaces.view import page
from messe.reports.domain.dashboard import dashboard
from messe.web.context import current_event

SECTION = "dashboard"
REFRESH_SECONDS = 5


async def dashboard_page(request: Request) -> Response:
    event = await current_event(request)
    return await page(request, "admin/dashboard.html", SECTION, {
        "figures": await dashboard(event), "live": await request.app.state.hub.status(event.id),
        "refresh_seconds": REFRESH_SECONDS,
    })


routes = [Route("/dashboard", dashboard_page, methods=["GET"])]
