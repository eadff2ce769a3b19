"""Announcements to every phone, or about one talk to the attendees who starred it.

An announcement is a change-log entry (``announce``) delivered by the websocket. One about a talk
reaches every connected phone with ``"starred": true`` for those whose personal schedule holds the
talk; their phones alert loudly, the others' quietly.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.interfaces.forms import FormErrors, form_values, problems, validate
from messe.admin.interfaces.schemas import AnnouncementForm
from messe.admin.interfaces.view import flash, page, redirect
from messe.common.refusal import Refusal
from messe.i18n import format_clock
from messe.programme.domain.changelog import Kind
from messe.programme.domain.publishing import announce
from messe.programme.domain.stars import star_counts
from messe.programme.models import ScheduleChange, Talk, TalkState
from messe.web.context import current_event
from messe.web.forms import read_form
from messe.web.templates import language_of, translate_plural

SECTION = "announcements"
SHOWN = 20


async def _page(request: Request, values: dict[str, Any], errors: FormErrors) -> Response:
    event = await current_event(request)
    talks = await Talk.filter(event=event, published__isnull=False).exclude(state=TalkState.CANCELLED).select_related(
        "stage").order_by("starts_at", "id")
    stars = await star_counts(event)
    language = language_of(request)
    targets = [(talk.id, translate_plural(request, "{time} {stage}: {title} ({count} stjerne)",
                                          "{time} {stage}: {title} ({count} stjerner)",
                                          time=format_clock(talk.starts_at, event.timezone, language),
                                          stage=talk.stage.name if talk.stage else "", title=talk.title,
                                          count=stars.get(talk.id, 0)))
               for talk in talks]
    sent = await ScheduleChange.filter(event=event, kind=Kind.ANNOUNCEMENT).order_by("-seq").limit(SHOWN)
    return await page(request, "admin/announcements.html", SECTION, {
        "values": values, "errors": errors, "targets": targets, "sent": sent,
        "phones": (await request.app.state.hub.status(event.id))["all_connections"],
    }, status_code=422 if errors else 200)


async def announcements(request: Request) -> Response:
    if request.method == "GET":
        return await _page(request, {"level": "info", **form_values(request.query_params, AnnouncementForm)}, {})
    event = await current_event(request)
    data = form_values(await read_form(request), AnnouncementForm)
    form, errors = validate(request, AnnouncementForm, data)
    if form is None:
        return await _page(request, data, errors)
    try:
        change = await announce(event.id, form.model_dump(exclude={"talk_id"}), form.talk_id,
                                actor=request.state.principal.label)
    except Refusal as exc:
        return await _page(request, data, problems(request, exc))
    flash(request, "Meddelelsen '{title}' er sendt (nr. {seq} i ændringsloggen)", title=form.title, seq=change.seq)
    return await redirect(request, SECTION)


routes = [Route("/announcements", announcements, methods=["GET", "POST"])]
