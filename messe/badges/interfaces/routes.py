"""Badge routes under ``/{event}``: the public key for scanners, one badge as a PDF, reprints."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from messe.badges.domain.layouts import LayoutError, available_layouts, load_layout
from messe.badges.domain.printing import badge_data, event_public_key, print_badge, select_attendees
from messe.badges.domain.render import render_pdf
from messe.badges.domain.tokens import PREFIX, b64url, derive_private_key
from messe.checkin.interfaces.desk import require_desk_access
from messe.common.models import Event
from messe.people.domain.principals import Principal
from messe.people.models import Attendee
from messe.web.api import ApiRoute, Operation, path_id, read_json
from messe.web.context import current_event, require_role
from messe.web.errors import ApiError

PRINTERS = ("organiser", "door")
TAGS = ("Badges",)


class BadgeKey(BaseModel):
    event: str
    algorithm: str
    public_key: str
    format: str
    encoding: str
    documentation: str


class PrintIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reprint: bool = False


class PrintOut(BaseModel):
    attendee_id: int
    badge_version: int
    printed_at: str
    pdf_url: str


async def badge_key(request: Request) -> Response:
    event = await current_event(request)
    key = event_public_key(request.app.state.settings.secret_key, event)
    body = BadgeKey(event=event.slug, algorithm="Ed25519", public_key=b64url(key), format=PREFIX,
                    encoding="base45",
                    documentation="QR text: 'M1:' + base45(body + 64-byte Ed25519 signature of body); "
                    "body: u8 format=1, u32 attendee id, u16 badge version, then u8-length-prefixed "
                    "event slug, name and organisation (UTF-8), all big-endian.")
    return JSONResponse(body.model_dump(), headers={"Cache-Control": "public, max-age=3600"})


async def _attendee(request: Request, event: Event, principal: Principal) -> Attendee:
    """The attendee in the path, if ``principal`` may print their badge: door staff only the people
    they just found at the door desk or registered as walk-ins."""
    found = await select_attendees(event, attendee_id=path_id(request, "attendee_id"))
    if not found:
        raise ApiError(404, "Deltageren findes ikke")
    await require_desk_access(principal, found[0])
    return found[0]


def _render(attendee: Attendee, event: Event, layout_name: str, secret_key: str) -> bytes:
    layout = load_layout(layout_name)
    return render_pdf([badge_data(attendee, event)], layout, derive_private_key(secret_key, event.slug),
                      title=f"Badge – {attendee.name}")


async def badge_pdf(request: Request) -> Response:
    event = await current_event(request)
    principal = await require_role(request, *PRINTERS)
    layout_name = request.query_params.get("layout", "a6")
    known = available_layouts()
    if layout_name not in known:
        raise ApiError(422, f"Ukendt layout; vælg et af: {', '.join(known)}", fields=[{
            "field": "layout", "message": "Skal være en af: {expected}", "values": {"expected": ", ".join(known)}}])
    attendee = await _attendee(request, event, principal)
    try:
        pdf = await run_in_threadpool(_render, attendee, event, layout_name,
                                      request.app.state.settings.secret_key)
    except LayoutError as exc:
        raise ApiError(500, f"Layoutet kan ikke bruges: {exc}") from None
    filename = f"badge-{attendee.id}-v{attendee.badge_version}.pdf"
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private, no-store"})


async def printed(request: Request) -> Response:
    event = await current_event(request)
    principal = await require_role(request, *PRINTERS)
    body = await read_json(request, PrintIn)
    attendee = await _attendee(request, event, principal)
    await print_badge(event, attendee, principal.label, reprint=body.reprint)
    assert attendee.badge_printed_at is not None
    return JSONResponse(PrintOut(attendee_id=attendee.id, badge_version=attendee.badge_version,
                                 printed_at=attendee.badge_printed_at.isoformat(),
                                 pdf_url=f"/{event.slug}/badges/{attendee.id}.pdf").model_dump())


LAYOUT_QUERY = {"name": "layout", "schema": {"type": "string", "default": "a6", "enum": available_layouts()},
                "description": "Layoutets navn (filerne i badges/*.toml)"}

routes: list[BaseRoute] = [
    ApiRoute("/api/badge-key", badge_key, {
        "GET": Operation("Arrangementets offentlige nøgle til at tjekke badge-QR-koder "
                         "(Ed25519, rå, base64url)", response=BadgeKey, tags=TAGS),
    }),
    ApiRoute("/api/badges/{attendee_id:int}/print", printed, {
        "POST": Operation("Registrér at en deltagers badge er printet; reprint=true giver en ny version, og "
                          "den gamle QR-kode afvises derefter; dørpersonale kun for personer, de lige har fundet "
                          "ved skranken eller registreret som walk-in", PRINTERS, body=PrintIn, response=PrintOut,
                          tags=TAGS),
    }),
    ApiRoute("/badges/{attendee_id:int}.pdf", badge_pdf, {
        "GET": Operation("Én deltagers badge som PDF, klar til print (dørpersonale: kun personer, de lige har "
                         "fundet ved skranken eller registreret som walk-in)", PRINTERS,
                         response={"type": "string", "format": "binary"}, content_type="application/pdf",
                         query=(LAYOUT_QUERY,), tags=TAGS),
    }),
]
