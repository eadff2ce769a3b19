"""The programme editor: the grid of stages × time with every talk, and publishing the draft as a
named version, and what each version changed. Editing a talk is on the talk's own page
(messe.admin.interfaces.pages.talks)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.interfaces.forms import FormErrors, form_values, problems, validate
from messe.admin.interfaces.pages.talks import initial_values
from messe.admin.interfaces.schemas import PublishForm
from messe.admin.interfaces.view import flash, page, redirect
from messe.common.models import Event
from messe.common.refusal import Refusal, RefusalKind
from messe.programme.domain.changelog import Kind
from messe.programme.domain.grid import build_grid
from messe.programme.domain.publishing import publish_release
from messe.programme.domain.release import public_state, standing, unpublished
from messe.programme.domain.stars import StarLoad, star_counts
from messe.programme.domain.versions import KIND_LABELS, version_changes
from messe.programme.models import ScheduleChange, ScheduleRelease, Stage, Talk
from messe.web.context import current_event
from messe.web.forms import read_form
from messe.web.templates import translate

SECTION = "programme"


async def _grid_context(event: Event) -> dict[str, Any]:
    """The grid, and for each talk its stars against its seats, the state attendees see and where its
    draft stands (unpublished changes), and the values a drag and drop sends to the impact preview."""
    talks = await Talk.filter(event=event).prefetch_related("stage", "track", "speakers")
    stages = await Stage.filter(event=event).order_by("position", "id")
    counts = await star_counts(event)
    loads = {talk.id: StarLoad(talk, counts.get(talk.id, 0)) for talk in talks}
    return {
        "grid": build_grid(event, stages, talks), "loads": loads,
        "unpublished": {talk.id for talk in talks if unpublished(talk)},
        "public_states": {talk.id: public_state(talk) for talk in talks},
        "standings": {talk.id: standing(talk) for talk in talks},
        "move_forms": {talk.id: initial_values(event, talk) for talk in talks},
        "crowded": sum(1 for load in loads.values() if load.over_capacity),
    }


async def _page(request: Request, values: dict[str, Any] | None = None, errors: FormErrors | None = None,
                clashes: list[str] | None = None) -> Response:
    event = await current_event(request)
    releases = await ScheduleRelease.filter(event=event).order_by("-id").limit(5)
    suggestion = f"v{await ScheduleRelease.filter(event=event).count() + 1}"
    return await page(request, "admin/programme.html", SECTION, {
        **await _grid_context(event), "releases": releases, "values": values or {"version": suggestion},
        "errors": errors or {}, "clashes": clashes or [],
    }, status_code=422 if errors or clashes else 200)


async def programme(request: Request) -> Response:
    return await _page(request)


async def _clash_lines(request: Request, event: Event, exc: Refusal) -> list[str]:
    """One line per broken rule, naming the talk (the problems' fields are ``talks.<id>.<field>``)."""
    titles = dict(await Talk.filter(event=event).values_list("id", "title"))
    lines = []
    for problem in exc.problems:
        field = problem.field or ""
        talk_id = field.split(".")[1] if field.startswith("talks.") else ""
        message = translate(request, problem.template, **problem.values)
        lines.append(f"{titles[int(talk_id)]}: {message}" if talk_id.isdigit() else message)
    return lines


async def publish(request: Request) -> Response:
    event = await current_event(request)
    data = form_values(await read_form(request), PublishForm)
    form, errors = validate(request, PublishForm, data)
    if form is None:
        return await _page(request, data, errors)
    try:
        result = await publish_release(event.id, form.version, form.comment, actor=request.state.principal.label)
    except Refusal as exc:
        if exc.kind is RefusalKind.CONFLICT:  # the version exists
            return await _page(request, data, problems(request, exc))
        return await _page(request, data, clashes=await _clash_lines(request, event, exc))
    flash(request, "Version '{version}' er offentliggjort: {count} ændring er sendt til telefonerne",
          plural="Version '{version}' er offentliggjort: {count} ændringer er sendt til telefonerne",
          version=form.version, count=len(result.changes))
    return await redirect(request, SECTION)


async def versions(request: Request) -> Response:
    """Every published version and what it changed, talk by talk."""
    event = await current_event(request)
    releases = await ScheduleRelease.filter(event=event).order_by("seq")
    changes = await ScheduleChange.filter(event=event).exclude(kind=Kind.ANNOUNCEMENT).order_by("seq")
    return await page(request, "admin/versions.html", SECTION, {
        "versions": version_changes(releases, changes, event.timezone), "kind_labels": KIND_LABELS})


routes = [
    Route("/programme", programme, methods=["GET"]),
    Route("/programme/versions", versions, methods=["GET"]),
    Route("/programme/publish", publish, methods=["POST"]),
]
