"""The public exhibitor pages: the list, the halls' floor plan (its own page, the map first) and
each exhibitor's profile."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.expressions import Q

from messe.expo.domain.floorplan import ZOOMS, hall_plans
from messe.expo.domain.profiles import talks_by_people_of
from messe.expo.models import Exhibitor
from messe.programme.domain.programme import published_programme
from messe.programme.interfaces.pages import app_page, talk_view
from messe.programme.models import Stage
from messe.web.api import path_id
from messe.web.context import current_event
from messe.web.errors import ApiError
from messe.web.public_cache import share


def _chosen_stand(request: Request) -> str:
    return request.query_params.get("stand", "").strip().upper()[:12]


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
    share(request)
    return app_page(request, "expo/exhibitors.html", event, exhibitors=everyone, shown=shown, search=search,
                    chosen=_chosen_stand(request))


async def hall_map(request: Request) -> Response:
    """The halls drawn with their stands and fixed places; ``?stand=A5`` highlights one stand."""
    event = await current_event(request)
    exhibitors = await Exhibitor.filter(event=event)
    stages = {s.code: (s.id, s.name) for s in await Stage.filter(event=event)}
    share(request)
    return app_page(request, "expo/map.html", event, plans=hall_plans(exhibitors, event.halls, stages),
                    chosen=_chosen_stand(request), zooms=ZOOMS)


async def exhibitor_page(request: Request) -> Response:
    """One exhibitor: what they show, their stand on the map, their people's talks."""
    event = await current_event(request)
    exhibitor = await Exhibitor.get_or_none(id=path_id(request), event=event).prefetch_related("staff")
    if exhibitor is None:
        raise ApiError(404, "Udstilleren findes ikke")
    programme = await published_programme(event)
    talks = [talk_view(t) for t in talks_by_people_of(exhibitor, [s.name for s in exhibitor.staff],
                                                      programme.talks)]
    share(request)
    return app_page(request, "expo/exhibitor.html", event, exhibitor=exhibitor, talks=talks)


routes = [
    Route("/exhibitors", exhibitor_list, methods=["GET"]),
    Route("/exhibitors/map", hall_map, methods=["GET"]),
    Route("/exhibitors/{id:int}", exhibitor_page, methods=["GET"]),
]
