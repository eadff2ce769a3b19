"""The lead API: exhibitor staff scan visitors' badges, edit their leads and export them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from messe.expo.domain.lead_export import Cell, lead_table, to_csv, to_xlsx
from messe.expo.domain.leads import Scan, capture_lead, edit_lead, leads_of, shown_with
from messe.expo.interfaces.leads_access import own_lead, staff_exhibitor
from messe.expo.interfaces.leads_schemas import LeadIn, LeadOut, LeadPatch
from messe.expo.models import Exhibitor
from messe.scanning.interfaces.api import REFUSALS, SCAN_ERRORS, scanned_badge
from messe.web.api import ApiRoute, Operation, paginate, path_id, read_json
from messe.web.context import current_event
from messe.web.security import no_store
from messe.web.templates import translate

STAFF = ("exhibitor",)
TAGS = ("Leads",)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _json(lead_out: LeadOut, status: int = 200) -> JSONResponse:
    return JSONResponse(lead_out.model_dump(mode="json"), status_code=status)


async def leads(request: Request) -> Response:
    principal, exhibitor = await staff_exhibitor(request)
    if request.method == "GET":
        items, meta = await paginate(request, leads_of(exhibitor.id))
        return JSONResponse({"items": [LeadOut.of(lead).model_dump(mode="json") for lead in items], **meta})
    body = await read_json(request, LeadIn)
    attendee, claims = await scanned_badge(request, body.payload)
    scan = Scan(body.client_id, claims.version, body.notes, body.rating, body.tags)
    lead, created = await capture_lead(exhibitor, attendee, scan, principal.account_id, principal.label)
    response = _json(LeadOut.of(await shown_with(lead, attendee)), 201 if created else 200)
    response.headers["Location"] = f"/{(await current_event(request)).slug}/api/leads/{lead.id}"
    return response


async def lead_detail(request: Request) -> Response:
    principal, exhibitor = await staff_exhibitor(request)
    lead = await own_lead(exhibitor, path_id(request))
    if request.method == "PATCH":
        body = await read_json(request, LeadPatch)
        await edit_lead(lead, exhibitor, actor=principal.label, **body.model_dump(exclude_none=True))
    return _json(LeadOut.of(lead))


async def _export(request: Request) -> tuple[Exhibitor, list[list[Cell]]]:
    _, exhibitor = await staff_exhibitor(request)
    event = await current_event(request)
    rows = lead_table(await leads_of(exhibitor.id), event.timezone, lambda text: translate(request, text))
    return exhibitor, rows


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


async def export_csv(request: Request) -> Response:
    exhibitor, rows = await _export(request)
    return _download(to_csv(rows), "text/csv; charset=utf-8", f"leads-{exhibitor.stand}.csv")


async def export_xlsx(request: Request) -> Response:
    exhibitor, rows = await _export(request)
    return _download(to_xlsx(rows, translate(request, "Leads")), XLSX, f"leads-{exhibitor.stand}.xlsx")


routes = [
    ApiRoute("/api/leads", no_store(leads), {
        "GET": Operation("Udstillerens egne leads, nyeste først", STAFF, response=LeadOut, paged=True, tags=TAGS),
        "POST": Operation(
            "Registrér en skannet badge: 201 med et nyt lead; 200 med det eksisterende lead, når samme "
            "besøgende skannes igen (noter, vurdering og tags fra gentagelsen flettes ind, samme client_id "
            f"igen ændrer intet). {REFUSALS}. 409 også når client_id er brugt til en anden skanning",
            STAFF, body=LeadIn, response=LeadOut, status=201, also=(200,), errors=SCAN_ERRORS, tags=TAGS),
    }),
    ApiRoute("/api/leads/export.csv", export_csv, {
        "GET": Operation("Leads som CSV til dansk Excel (UTF-8 med BOM, semikolon)", STAFF,
                         response={"type": "string"}, content_type="text/csv", tags=TAGS),
    }),
    ApiRoute("/api/leads/export.xlsx", export_xlsx, {
        "GET": Operation("Leads som Excel-regneark (XLSX)", STAFF, response={"type": "string", "format": "binary"},
                         content_type=XLSX, tags=TAGS),
    }),
    ApiRoute("/api/leads/{id:int}", no_store(lead_detail), {
        "GET": Operation("Ét af udstillerens leads", STAFF, response=LeadOut, tags=TAGS),
        "PATCH": Operation("Ret noter, vurdering (0-5) og tags på et lead", STAFF, body=LeadPatch,
                           response=LeadOut, tags=TAGS),
    }),
]
