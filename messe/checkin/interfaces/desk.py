"""The door desk's search, and the rule every desk action shares: door staff serve only the people
their own search (or walk-in registration) just showed them; organisers serve anyone (see
``messe.checkin.domain.desk``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from messe.checkin.domain.desk import (
    GRANT_MINUTES,
    MAX_QUERY,
    MAX_RESULTS,
    MIN_QUERY,
    ensure_may_serve,
    grant,
    search,
)
from messe.checkin.interfaces.schemas import DeskPerson, DeskSearchOut
from messe.common.models import Event
from messe.people.domain.principals import Principal
from messe.people.models import AccountRole, Attendee
from messe.web.api import ApiRoute, Operation
from messe.web.context import current_event, require_role
from messe.web.errors import ApiError
from messe.web.ratelimit import enforce

DOOR = (AccountRole.DOOR, AccountRole.ORGANISER)
TAGS = ("Indtjekning",)


def _query_error(message: str, **values: object) -> ApiError:
    return ApiError(422, message, values=values, fields=[{"field": "q", "message": message, "values": values}])


async def grant_desk(event: Event, principal: Principal, attendee_ids: list[int]) -> None:
    """Let a door staffer serve these people for a while (organisers need no grant)."""
    if not principal.is_organiser:
        await grant(event, principal.device, attendee_ids)


async def require_desk_access(principal: Principal, attendee: Attendee) -> None:
    """Refused (403) unless ``principal`` may check in, reprint or download the badge of ``attendee``."""
    if not principal.is_organiser:
        await ensure_may_serve(principal.device, attendee.id)


async def search_people(request: Request) -> Response:
    principal = await require_role(request, *DOOR)
    await enforce(request, "desk-search", str(principal.event_id), principal.device)
    event = await current_event(request)
    text = request.query_params.get("q", "")
    if len(text) > MAX_QUERY:
        raise _query_error("Må højst være {max_length} tegn", max_length=MAX_QUERY)
    if "\x00" in text:
        raise _query_error("Må ikke indeholde tegnet NUL (\\u0000)")
    found = await search(event, text)
    await grant_desk(event, principal, [person.attendee_id for person in found])
    body = DeskSearchOut(items=[DeskPerson.of(person) for person in found])
    return JSONResponse(body.model_dump(mode="json"), headers={"Cache-Control": "no-store"})


routes = [
    ApiRoute("/api/checkins/search", search_people, {
        "GET": Operation(
            "Find registrerede personer ved skranken på navn, organisation eller e-mail (uden hensyn til store "
            f"og små bogstaver og accenter; æ, ø og å kan skrives ae, oe og aa). Højst {MAX_RESULTS}, de bedste "
            "først; kun hvad badget viser og om personen er tjekket ind. Dørpersonale kan derefter tjekke de "
            f"fundne ind og genudskrive deres badge i {GRANT_MINUTES} minutter. q under {MIN_QUERY} tegn giver "
            "422.", DOOR, response=DeskSearchOut,
            query=({"name": "q", "required": True, "schema": {"type": "string", "minLength": MIN_QUERY,
                                                              "maxLength": MAX_QUERY}},),
            errors=(429,), tags=TAGS),
    }),
]
