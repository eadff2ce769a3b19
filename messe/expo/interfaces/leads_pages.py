"""The exhibitor staff's pages: the scanner with their leads, and one lead to read and edit."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from messe.common.refusal import Refusal
from messe.expo.domain.leads import contact_of, edit_lead
from messe.expo.interfaces.leads_access import own_lead, staff_exhibitor
from messe.expo.interfaces.leads_schemas import LeadPatch
from messe.scanning.interfaces.pages import field_messages, scanner_config, service_worker, sign_in_first
from messe.web.api import path_id, validate
from messe.web.context import current_event
from messe.web.errors import ApiError
from messe.web.forms import read_form
from messe.web.security import no_store
from messe.web.templates import render

LEAD_TEXT = {
    "newLead": "Nyt lead: {name}",
    "existingLead": "{name} er allerede skannet – leadet er åbnet",
    "savedLocal": "Gemt på telefonen: {name}",
    "saved": "Gemt: {name}",
    "contact": "Kontakt: {contact}",
    "contactHidden": "Deltageren har ikke givet samtykke til at dele kontaktoplysninger",
    "contactLater": "Kontaktoplysninger vises, når leadet er synkroniseret",
    "failed": "Ikke gemt: {error}",
    "rating": "Vurdering {rating} af 5",
}


async def scanner_page(request: Request) -> Response:
    if redirect := await sign_in_first(request):
        return redirect
    _, exhibitor = await staff_exhibitor(request)
    event = await current_event(request)
    api = f"/{event.slug}/api/leads"
    config = await scanner_config(request, f"leads:{exhibitor.id}", LEAD_TEXT, scan=api, lead=f"{api}/",
                                  page=f"/{event.slug}/leads/")
    return render(request, "expo/leads.html", {"event": event, "exhibitor": exhibitor, "config": config})


async def lead_page(request: Request) -> Response:
    if redirect := await sign_in_first(request):
        return redirect
    _, exhibitor = await staff_exhibitor(request)
    event = await current_event(request)
    lead = await own_lead(exhibitor, path_id(request))
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await read_form(request)
        try:
            patch = validate(LeadPatch, {"notes": form.get("notes", ""), "rating": form.get("rating") or 0,
                                         "tags": form.getlist("tags")})
            await edit_lead(lead, exhibitor, **patch.model_dump(exclude_none=True))
            return RedirectResponse(f"/{event.slug}/leads/{lead.id}?saved=1", status_code=303)
        except (ApiError, Refusal) as exc:
            errors = field_messages(request, exc)
    return render(request, "expo/lead.html", {
        "event": event, "exhibitor": exhibitor, "lead": lead, "contact": contact_of(lead.attendee),
        "errors": errors, "saved": request.query_params.get("saved") == "1",
    }, status_code=422 if errors else 200)


routes = [
    Route("/leads/", no_store(scanner_page), methods=["GET"]),
    Route("/leads/{id:int}", no_store(lead_page), methods=["GET", "POST"]),
    Route("/leads/sw.js", service_worker, methods=["GET"]),
]
