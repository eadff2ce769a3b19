"""The public exhibitor list and floor plan."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.expressions import Q

from messe.expo.domain.floorplan import hall_plans
from messe.expo.models import Exhibitor
from messe.programme.interfaces.pages import app_page
from messe.web.context import current_event
from messe.web.public_cache import share


async def exhibitor_list(request: Request) -> Response:
    """Every exhibitor, those the search leaves out hidden (the phone searches them again offline)."""
    event = await current_event(request)
    search = request.query_params.get("q", "").strip()[:100]
    everyone = await Exhibitor.filter(event=event).order_by("name")
    shown = {e.id for e in everyone}
    if search:
        shown = set(await Exhibitor.filter(event=event).filter(
            Q(name__icontains=search) | Q(stand__iexact=search) | Q(description__icontains=search)
        ).values_list("id", flat=True))
    chosen = request.query_params.get("stand", "").upper()[:12]
    share(request)
    return app_page(request, "expo/exhibitors.html", event, exhibitors=everyone, shown=shown, search=search,
                    chosen=chosen, plans=hall_plans(everyone, event.halls))


routes = [Route("/exhibitors", exhibitor_list, methods=["GET"])]
