"""Printing badges from the admin: choose whom (role, organisation, not yet printed), watch the PDF
render, download it. Reprinting one attendee's badge (on the attendee's page) runs the same way."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from messe.admin.interfaces.forms import FormErrors, form_values, validate
from messe.admin.interfaces.schemas import BadgeForm
from messe.admin.interfaces.view import NO_STORE, page, redirect
from messe.badges.domain import badge_jobs
from messe.badges.domain.badge_jobs import BadgeJob, JobState, reprint_first, run_job
from messe.badges.domain.batch import prepare_helpers
from messe.badges.domain.fonts import FontError
from messe.badges.domain.layouts import LayoutError, available_layouts, load_layout
from messe.badges.domain.printing import select_attendees
from messe.badges.domain.tokens import derive_private_key
from messe.common.models import Event
from messe.people.models import Attendee, AttendeeRole, Organisation
from messe.web.context import current_event
from messe.web.errors import ApiError
from messe.web.forms import read_form
from messe.web.templates import translate

SECTION = "badges"
DEFAULT_LAYOUT = "a6"
# asyncio keeps only weak references to tasks: these are the running badge jobs of this process.
_running: set[asyncio.Task[None]] = set()


async def chosen_attendees(event: Event, form: BadgeForm) -> list[Attendee]:
    attendees = await select_attendees(event, role=form.role or None, organisation=form.organisation or None)
    return [a for a in attendees if a.badge_printed_at is None] if form.unprinted else attendees


async def _page(request: Request, values: dict[str, Any], errors: FormErrors) -> Response:
    event = await current_event(request)
    form, _ = validate(request, BadgeForm, values)
    chosen = await chosen_attendees(event, form) if form is not None else []
    return await page(request, "admin/badges.html", SECTION, {
        "values": values, "errors": errors, "count": len(chosen), "roles": AttendeeRole.ALL,
        "layouts": available_layouts(), "jobs": badge_jobs.JOBS.recent(event),
        "organisations": await Organisation.filter(event=event).order_by("name").values_list("name", flat=True),
    }, status_code=422 if errors else 200)


async def start_job(request: Request, attendees: Sequence[Attendee], layout_name: str, filters: dict[str, Any],
                    reprint: bool = False) -> BadgeJob:
    """Start rendering in the background; the job's page shows its progress."""
    event = await current_event(request)
    actor = request.state.principal.label
    try:
        layout = load_layout(layout_name)
    except (LayoutError, FontError) as exc:
        raise ApiError(500, "Layoutet kan ikke bruges: {reason}", values={"reason": str(exc)}) from None
    if reprint:
        await reprint_first(event, attendees, actor=actor)
    job = badge_jobs.JOBS.create(event, [a.id for a in attendees], layout=layout_name, filters=filters,
                                 reprint=reprint, actor=actor)
    key = derive_private_key(request.app.state.settings.secret_key, event.slug)
    task = asyncio.create_task(run_job(badge_jobs.JOBS, job, event, attendees, layout, key, actor=actor),
                               name=f"messe-badges-{job.name}")
    _running.add(task)
    task.add_done_callback(_running.discard)
    return job


async def badges(request: Request) -> Response:
    if request.method == "GET":
        prepare_helpers()
        return await _page(request, {"layout": DEFAULT_LAYOUT, **form_values(request.query_params, BadgeForm)}, {})
    event = await current_event(request)
    data = form_values(await read_form(request), BadgeForm)
    form, errors = validate(request, BadgeForm, data)
    if form is not None and form.layout not in available_layouts():
        form, errors = None, {"layout": translate(request, "Vælg et af layoutene")}
    if form is None:
        return await _page(request, data, errors)
    attendees = await chosen_attendees(event, form)
    if not attendees:
        return await _page(request, data, {"_form": translate(request, "Ingen deltagere passer til valget")})
    filters = {name: value for name, value in form.model_dump(exclude={"layout"}).items() if value}
    job = await start_job(request, attendees, form.layout, filters)
    return await redirect(request, f"{SECTION}/jobs/{job.id}")


def _job_or_404(event: Event, request: Request) -> BadgeJob:
    job = badge_jobs.JOBS.load(event, request.path_params["job"])
    if job is None:
        raise ApiError(404, "Udskrivningen findes ikke (længere)")
    return job


async def job_page(request: Request) -> Response:
    event = await current_event(request)
    return await page(request, "admin/badge_job.html", SECTION, {"job": _job_or_404(event, request)})


async def job_progress(request: Request) -> Response:
    event = await current_event(request)
    job = _job_or_404(event, request)
    return JSONResponse({"state": job.state, "done": job.done, "total": job.total, "percent": job.percent,
                         "error": translate(request, job.error) if job.error else ""}, headers=NO_STORE)


async def job_pdf(request: Request) -> Response:
    event = await current_event(request)
    job = _job_or_404(event, request)
    if job.state != JobState.DONE:
        raise ApiError(409, "PDF'en er ikke færdig endnu")
    return FileResponse(badge_jobs.JOBS.pdf(job), media_type="application/pdf",
                        filename=f"badges-{job.name}.pdf", headers=NO_STORE)


routes = [
    Route("/badges", badges, methods=["GET", "POST"]),
    Route("/badges/jobs/{job}.json", job_progress, methods=["GET"]),
    Route("/badges/jobs/{job}.pdf", job_pdf, methods=["GET"]),
    Route("/badges/jobs/{job}", job_page, methods=["GET"]),
]
