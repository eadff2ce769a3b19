"""Talks with more stars than seats, each with a way out: a larger free stage (one click takes the
move to the same impact preview as any other move), or else a swap of stages with a quieter talk in
a larger hall at the same time (a confirmation page, then both change at once)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.interfaces.forms import form_values, validate
from messe.admin.interfaces.pages.talks import NOT_FOUND, initial_values
from messe.admin.interfaces.schemas import SwapForm
from messe.admin.interfaces.view import flash, page, redirect
from messe.common.refusal import Problem, Refusal, RefusalKind
from messe.programme.domain.capacity import crowded_talks
from messe.programme.domain.editing import swap_stages
from messe.programme.domain.stars import star_counts
from messe.programme.models import Talk
from messe.web.context import current_event
from messe.web.errors import REFUSAL_STATUS, ApiError
from messe.web.forms import read_form

SECTION = "programme"
STALE = Problem("Et af foredragene er ændret, siden du åbnede siden; se byttet igen", field="talk")


async def capacity(request: Request) -> Response:
    event = await current_event(request)
    crowded = await crowded_talks(event)
    await Talk.fetch_for_list([c.load.talk for c in crowded], "speakers")
    moves = {c.load.talk.id: {**initial_values(event, c.load.talk), "stage_id": c.suggestion.id}
             for c in crowded if c.suggestion}
    return await page(request, "admin/capacity.html", SECTION, {"crowded": crowded, "moves": moves})


async def _swap_page(request: Request, form: SwapForm, problems: list[Problem], status_code: int = 200) -> Response:
    """Both talks, where each goes and how many stars meet how many seats, before anything changes."""
    event = await current_event(request)
    found = {t.id: t for t in await Talk.filter(event=event, id__in=[form.talk, form.other]).select_related("stage")}
    if len(found) != 2 or form.talk == form.other:
        raise ApiError(404, NOT_FOUND)
    first, second = found[form.talk], found[form.other]
    stars = await star_counts(event)
    return await page(request, "admin/capacity_swap.html", SECTION, {
        "pairs": [(first, second), (second, first)], "stars": stars, "problems": problems,
        "values": {"talk": first.id, "other": second.id, "talk_revision": first.revision,
                   "other_revision": second.revision},
    }, status_code=status_code)


async def swap(request: Request) -> Response:
    event = await current_event(request)
    data = form_values(await read_form(request) if request.method == "POST" else request.query_params, SwapForm)
    form, _ = validate(request, SwapForm, data)
    if form is None:
        raise ApiError(404, NOT_FOUND)
    if request.method == "GET":
        return await _swap_page(request, form, [])
    try:
        await swap_stages(event.id, (form.talk, form.other), (form.talk_revision, form.other_revision),
                          actor=request.state.principal.label)
    except Refusal as exc:
        if exc.kind is RefusalKind.NOT_FOUND:
            raise
        if exc.kind is RefusalKind.STALE:
            return await _swap_page(request, form, [STALE], status_code=409)
        return await _swap_page(request, form, list(exc.problems), status_code=REFUSAL_STATUS[exc.kind])
    flash(request, "Scenerne er byttet og sendt til deltagernes telefoner")
    return await redirect(request, f"{SECTION}/capacity")


routes = [
    Route("/programme/capacity", capacity, methods=["GET"]),
    Route("/programme/capacity/swap", swap, methods=["GET", "POST"]),
]
