"""The check-in API: door staff scan badges or check people in by hand at the desk; counts for the
door page and the dashboard."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from messe.badges.domain.printing import select_attendees
from messe.checkin.domain.checkins import BY_HAND, BY_SCAN, Staffer, check_in
from messe.checkin.domain.counts import checkin_counts
from messe.checkin.interfaces.desk import DOOR, TAGS, require_desk_access
from messe.checkin.interfaces.schemas import CheckInCountsOut, CheckInIn, CheckInOut
from messe.people.models import Attendee
from messe.scanning.interfaces.api import REFUSALS, SCAN_ERRORS, scanned_badge
from messe.web.api import ApiRoute, Operation, read_json
from messe.web.context import current_event, require_role
from messe.web.errors import ApiError


async def desk_attendee(request: Request, attendee_id: int) -> Attendee:
    """The attendee (organisation fetched) a desk action names, if this staffer may serve them."""
    principal = await require_role(request, *DOOR)
    found = await select_attendees(await current_event(request), attendee_id=attendee_id)
    if not found:
        raise ApiError(404, "Deltageren findes ikke")
    await require_desk_access(principal, found[0])
    return found[0]


async def checkins(request: Request) -> Response:
    principal = await require_role(request, *DOOR)
    event = await current_event(request)
    body = await read_json(request, CheckInIn)
    if body.attendee_id is not None:
        attendee, version, method = await desk_attendee(request, body.attendee_id), None, BY_HAND
    else:
        assert body.payload is not None  # CheckInIn takes one of the two
        attendee, claims = await scanned_badge(request, body.payload)
        version, method = claims.version, BY_SCAN
    staffer = Staffer(principal.label, principal.account_id, body.door.strip() or principal.name)
    result = await check_in(event, attendee, body.client_id, staffer,
                            badge_version=attendee.badge_version if version is None else version, method=method)
    return JSONResponse(CheckInOut.of(result, attendee).model_dump(mode="json"),
                        status_code=201 if result.created else 200)


async def counts(request: Request) -> Response:
    await require_role(request, *DOOR)
    return JSONResponse(CheckInCountsOut.of(await checkin_counts(await current_event(request))).model_dump())


routes = [
    ApiRoute("/api/checkins", checkins, {
        "POST": Operation(
            "Tjek en deltager ind ved at skanne badget (payload) eller i hånden ved skranken (attendee_id fra "
            "/api/checkins/search; dørpersonale kun for personer, de lige har fundet): 201 første gang; 200 med "
            "status already_checked_in og tidspunkt og dør for første indtjekning, når deltageren allerede er "
            f"tjekket ind (samme client_id igen giver 200 med status checked_in). {REFUSALS}; 404 for en "
            "ukendt attendee_id", DOOR, body=CheckInIn, response=CheckInOut,
            rules="Send enten payload eller attendee_id, ikke begge og ikke ingen.",
            status=201, also=(200,), errors=(*SCAN_ERRORS, 404), tags=TAGS),
    }),
    ApiRoute("/api/checkins/counts", counts, {
        "GET": Operation("Hvor mange der er tjekket ind, i alt og pr. dør", DOOR, response=CheckInCountsOut,
                         tags=TAGS),
    }),
]
