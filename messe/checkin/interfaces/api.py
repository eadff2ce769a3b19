"""The check-in API: door staff scan badges; counts for the door page and the dashboard."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from messe.checkin.domain.checkins import check_in
from messe.checkin.domain.counts import checkin_counts
from messe.checkin.domain.scans import ClientIdTaken, ScanRefused
from messe.checkin.interfaces.scanning import REFUSALS, SCAN_ERRORS, client_id_taken, refusal, scanned_badge
from messe.checkin.interfaces.schemas import CheckInCountsOut, CheckInIn, CheckInOut
from messe.people.models import AccountRole
from messe.web.api import ApiRoute, Operation, read_json
from messe.web.context import current_event, require_role

DOOR = (AccountRole.DOOR, AccountRole.ORGANISER)
TAGS = ("Indtjekning",)


async def checkins(request: Request) -> Response:
    principal = await require_role(request, *DOOR)
    body = await read_json(request, CheckInIn)
    try:
        attendee, claims = await scanned_badge(request, body.payload)
    except ScanRefused as exc:
        return refusal(request, exc)
    try:
        result = await check_in(attendee, body.client_id, badge_version=claims.version,
                                door=body.door.strip() or principal.name, account_id=principal.account_id)
    except ClientIdTaken:
        raise client_id_taken(body.client_id) from None
    return JSONResponse(CheckInOut.of(result, attendee).model_dump(mode="json"),
                        status_code=201 if result.created else 200)


async def counts(request: Request) -> Response:
    await require_role(request, *DOOR)
    return JSONResponse(CheckInCountsOut.of(await checkin_counts(await current_event(request))).model_dump())


routes = [
    ApiRoute("/api/checkins", checkins, {
        "POST": Operation(
            "Tjek en deltager ind ved at skanne badget: 201 første gang; 200 med status already_checked_in og "
            "tidspunkt og dør for første indtjekning, når deltageren allerede er tjekket ind (samme client_id "
            f"igen giver 200 med status checked_in). {REFUSALS}", DOOR, body=CheckInIn, response=CheckInOut,
            status=201, also=(200,), errors=SCAN_ERRORS, tags=TAGS),
    }),
    ApiRoute("/api/checkins/counts", counts, {
        "GET": Operation("Hvor mange der er tjekket ind, i alt og pr. dør", DOOR, response=CheckInCountsOut,
                         tags=TAGS),
    }),
]
