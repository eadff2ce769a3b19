"""Finding the attendee a URL names."""

from __future__ import annotations

from starlette.requests import Request

from messe.people.models import Attendee
from messe.web.api import path_id
from messe.web.context import current_event
from messe.web.errors import ApiError


async def attendee_or_404(request: Request) -> Attendee:
    """The event's (not erased) attendee with the path's id, organisation and event fetched."""
    event = await current_event(request)
    attendee = await Attendee.get_or_none(id=path_id(request), event=event, erased_at=None).prefetch_related(
        "organisation", "event")
    if attendee is None:
        raise ApiError(404, "Deltageren findes ikke")
    return attendee
