"""Attendees: search and page through them, create and edit, personal links, badge reprints,
and the CSV export."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.interfaces.forms import edit_page
from messe.admin.interfaces.pages.badges import DEFAULT_LAYOUT, start_job
from messe.admin.interfaces.paging import paging
from messe.admin.interfaces.schemas import AttendeeForm
from messe.admin.interfaces.view import flash, page, redirect
from messe.people.domain.attendee_export import export_attendees
from messe.people.domain.attendee_search import attendee_query
from messe.people.domain.attendees import add_attendee, edit_attendee, issue_link
from messe.people.domain.logins import end_sessions
from messe.people.interfaces.lookup import attendee_or_404
from messe.people.models import Attendee, AttendeeRole, Organisation
from messe.web.context import current_event
from messe.web.forms import read_form

SECTION = "attendees"
PER_PAGE = 50
TEMPLATE = "admin/attendee_form.html"
FIELDS = ("name", "email", "phone", "job_title", "role", "consent_share_contact", "language")


def search_terms(request: Request) -> tuple[str, str]:
    return request.query_params.get("q", "").strip()[:200], request.query_params.get("role", "")


async def attendee_list(request: Request) -> Response:
    event = await current_event(request)
    text, role = search_terms(request)
    query = attendee_query(event, text, role)
    pages = paging(request, await query.count(), PER_PAGE)
    attendees = await query.offset(pages.offset).limit(PER_PAGE).prefetch_related("organisation")
    terms = {k: v for k, v in (("q", text), ("role", role)) if v}
    return await page(request, "admin/attendees.html", SECTION, {
        "attendees": attendees, "paging": pages, "q": text, "role": role, "roles": AttendeeRole.ALL,
        "terms": urlencode(terms), "mail_ready": bool(request.app.state.settings.smtp_url)})


def _initial(attendee: Attendee | None) -> dict[str, object]:
    if attendee is None:
        return {"role": AttendeeRole.DELTAGER}
    return {**{name: getattr(attendee, name) for name in FIELDS},
            "organisation": attendee.organisation.name if attendee.organisation else ""}


async def _context(request: Request, attendee: Attendee | None, new_link: str | None = None) -> dict[str, object]:
    event = await current_event(request)
    return {"attendee": attendee, "new_link": new_link, "roles": AttendeeRole.ALL,
            "organisations": await Organisation.filter(event=event).order_by("name").values_list("name", flat=True),
            "mail_ready": bool(request.app.state.settings.smtp_url)}


async def attendee_form(request: Request) -> Response:
    event = await current_event(request)
    attendee = await attendee_or_404(request) if "id" in request.path_params else None
    actor = request.state.principal.label

    async def save(form: AttendeeForm) -> str:
        if attendee is None:
            return (await add_attendee(event, form.model_dump(), actor=actor)).name
        await edit_attendee(attendee, form.model_dump(), actor=actor)
        return attendee.name

    return await edit_page(request, template=TEMPLATE, section=SECTION, context=await _context(request, attendee),
                           schema=AttendeeForm, initial=_initial(attendee), save=save,
                           done=f"{SECTION}/{attendee.id}" if attendee else SECTION)


async def personal_link(request: Request) -> Response:
    """A new personal link, shown this once to the organiser (to read out or hand over); the
    attendee's previous link stops working."""
    event = await current_event(request)
    await read_form(request)
    attendee = await attendee_or_404(request)
    token = await issue_link(attendee, actor=request.state.principal.label)
    link = f"{request.app.state.settings.base_url}/{event.slug}/link/{token}"
    return await page(request, TEMPLATE, SECTION, {
        **await _context(request, attendee, new_link=link), "values": _initial(attendee), "errors": {}})


async def end_attendee_sessions(request: Request) -> Response:
    """Sign the attendee out on every device; their personal link keeps working."""
    event = await current_event(request)
    await read_form(request)
    attendee = await attendee_or_404(request)
    await end_sessions(event, attendee, actor=request.state.principal.label)
    flash(request, "{name} er logget ud på alle enheder", name=attendee.name)
    return await redirect(request, f"{SECTION}/{attendee.id}")


async def reprint_badge(request: Request) -> Response:
    """A new badge version (the old badge stops working), rendered with visible progress."""
    await read_form(request)
    attendee = await attendee_or_404(request)
    job = await start_job(request, [attendee], DEFAULT_LAYOUT, {"attendee": attendee.id}, reprint=True)
    flash(request, "Badge version {version} til {name} laves nu; det gamle badge virker ikke længere",
          version=attendee.badge_version, name=attendee.name)
    return await redirect(request, f"badges/jobs/{job.id}")


async def export_csv(request: Request) -> Response:
    event = await current_event(request)
    text, role = search_terms(request)
    content = await export_attendees(event, text, role, actor=request.state.principal.label)
    return Response(content, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="deltagere-{event.slug}.csv"',
        "Cache-Control": "no-store"})


routes = [
    Route("/attendees", attendee_list, methods=["GET"]),
    Route("/attendees/export.csv", export_csv, methods=["GET"]),
    Route("/attendees/new", attendee_form, methods=["GET", "POST"]),
    Route("/attendees/{id:int}", attendee_form, methods=["GET", "POST"]),
    Route("/attendees/{id:int}/link", personal_link, methods=["POST"]),
    Route("/attendees/{id:int}/reprint", reprint_badge, methods=["POST"]),
    Route("/attendees/{id:int}/sessions/end", end_attendee_sessions, methods=["POST"]),
]
