"""Organisations: list, create, edit (name and kind)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.functions import Count

from messe.admin.interfaces.records import record_page
from messe.admin.interfaces.schemas import OrganisationForm
from messe.admin.interfaces.view import page
from messe.people.models import Organisation, OrganisationKind
from messe.web.context import current_event

SECTION = "organisations"


async def organisation_list(request: Request) -> Response:
    event = await current_event(request)
    kind = request.query_params.get("kind", "")
    query = Organisation.filter(event=event)
    if kind in OrganisationKind.ALL:
        query = query.filter(kind=kind)
    organisations = await query.annotate(attendee_count=Count("attendees")).order_by("name")
    return await page(request, "admin/organisations.html", SECTION, {
        "organisations": organisations, "kinds": OrganisationKind.ALL, "kind": kind})


async def organisation_form(request: Request) -> Response:
    return await record_page(request, Organisation, section=SECTION, template="admin/organisation_form.html",
                             schema=OrganisationForm, unique=("name",), not_found="Organisationen findes ikke",
                             defaults={"kind": OrganisationKind.KOMMUNE}, context={"kinds": OrganisationKind.ALL})


routes = [
    Route("/organisations", organisation_list, methods=["GET"]),
    Route("/organisations/new", organisation_form, methods=["GET", "POST"]),
    Route("/organisations/{id:int}", organisation_form, methods=["GET", "POST"]),
]
