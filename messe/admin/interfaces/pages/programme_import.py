"""Importing a programme from a pretalx or frab export (JSON or XML): upload, preview with what
is new and which rules the drafts would break, then confirm. Talks arrive as drafts; the
organiser publishes them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.transactions import in_transaction

from messe.admin.interfaces.uploads import uploaded_file
from messe.admin.interfaces.view import flash, page, redirect
from messe.common import pending
from messe.common.models import Event
from messe.common.refusal import Refusal
from messe.programme.domain.frab_import import FrabSchedule, parse_schedule
from messe.programme.domain.programme_import import count_records, find_clashes, import_programme
from messe.web.api import path_id
from messe.web.context import current_event
from messe.web.errors import ApiError
from messe.web.forms import read_form
from messe.web.templates import translate, translate_plural

SECTION = "programme/import"
KIND = "programme"
PREVIEW_TALKS = 30


def _schedule(event: Event, content: bytes, move: bool) -> FrabSchedule:
    schedule = parse_schedule(content)
    if not move:
        return schedule
    return schedule.moved_to(event.starts_at.astimezone(ZoneInfo(event.timezone)).date(), event.timezone)


async def _upload_page(request: Request, problems: list[str] | None = None) -> Response:
    return await page(request, "admin/programme_import.html", SECTION, {"problems": problems or []},
                      status_code=422 if problems else 200)


def _messages(request: Request, exc: Refusal) -> list[str]:
    return [(f"{p.field}: " if p.field else "") + translate(request, p.template, **p.values) for p in exc.problems]


async def upload(request: Request) -> Response:
    if request.method == "GET":
        return await _upload_page(request)
    event = await current_event(request)
    form = await read_form(request)
    sent = await uploaded_file(form)
    if sent is None:
        return await _upload_page(request, [translate(request, "Vælg en frab-fil (JSON eller XML)")])
    filename, content = sent
    move = form.get("move") == "1"
    try:
        schedule = await anyio.to_thread.run_sync(_schedule, event, content, move)
    except Refusal as exc:
        return await _upload_page(request, _messages(request, exc))
    kept = await pending.keep(event, KIND, filename, content, actor=request.state.principal.label,
                              options={"move": move})
    return await page(request, "admin/programme_import_preview.html", SECTION, {
        "schedule": schedule, "filename": filename, "pending_id": kept.id, "move": move,
        "counts": await count_records(event, schedule), "clashes": await find_clashes(event, schedule),
        "sample": schedule.talks[:PREVIEW_TALKS]})


async def confirm(request: Request) -> Response:
    event = await current_event(request)
    await read_form(request)
    kept = await pending.find(event, KIND, path_id(request))
    if kept is None:
        raise ApiError(404, "Importen findes ikke længere; send filen igen")
    schedule = await anyio.to_thread.run_sync(_schedule, event, pending.content_of(kept),
                                              bool(kept.options.get("move")))
    async with in_transaction():
        if not await pending.claim(kept):
            raise ApiError(409, "Filen er allerede importeret")
        counts = await import_programme(event.id, schedule, actor=request.state.principal.label,
                                        filename=kept.filename)
    # "1 nyt og 2 opdaterede foredrag": each count chooses its own word ("1 new talk and 2 updated").
    updated = translate_plural(request, "{count} opdateret", "{count} opdaterede", counts.talks[1])
    flash(request, "Programmet '{title}' er importeret som kladde: {count} nyt og {updated} foredrag. "
                   "Deltagerne ser intet af det, før programmet offentliggøres.",
          plural="Programmet '{title}' er importeret som kladde: {count} nye og {updated} foredrag. "
                 "Deltagerne ser intet af det, før programmet offentliggøres.",
          title=schedule.title, count=counts.talks[0], updated=updated)
    return await redirect(request, "")


routes = [
    Route("/programme/import", upload, methods=["GET", "POST"]),
    Route("/programme/import/{id:int}", confirm, methods=["POST"]),
]
