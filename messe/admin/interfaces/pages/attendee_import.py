"""Importing attendees from CSV or XLSX: upload, preview (or every bad row with its line and
reason), then confirm; all rows are imported in one transaction, or none. Files are parsed in a
worker thread, so a large upload never holds up the event loop's other requests."""

from __future__ import annotations

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.transactions import in_transaction

from messe.admin.interfaces.uploads import uploaded_file
from messe.admin.interfaces.view import flash, page, redirect
from messe.common import pending
from messe.common.refusal import Refusal
from messe.people.domain.attendee_import import import_attendees, plan_import
from messe.people.domain.imports import HEADERS, ParsedAttendees, parse_attendees
from messe.web.api import path_id
from messe.web.context import current_event
from messe.web.errors import ApiError
from messe.web.forms import read_form
from messe.web.templates import translate

SECTION = "attendees/import"
KIND = "attendees"
PREVIEW_ROWS = 20


async def _upload_page(request: Request, error: str | None = None) -> Response:
    return await page(request, "admin/attendee_import.html", SECTION, {"error": error, "headers": HEADERS},
                      status_code=422 if error else 200)


async def _preview(request: Request, parsed: ParsedAttendees, filename: str, pending_id: int | None) -> Response:
    event = await current_event(request)
    plan = await plan_import(event, parsed.rows) if not parsed.errors else None
    return await page(request, "admin/attendee_import_preview.html", SECTION, {
        "parsed": parsed, "filename": filename, "plan": plan, "pending_id": pending_id,
        "sample": parsed.rows[:PREVIEW_ROWS]}, status_code=422 if parsed.errors else 200)


async def upload(request: Request) -> Response:
    if request.method == "GET":
        return await _upload_page(request)
    event = await current_event(request)
    sent = await uploaded_file(await read_form(request))
    if sent is None:
        return await _upload_page(request, translate(request, "Vælg en CSV- eller Excel-fil med deltagere"))
    filename, content = sent
    try:
        parsed = await anyio.to_thread.run_sync(parse_attendees, content, filename)
    except Refusal as exc:
        return await _upload_page(request, translate(request, exc.template, **exc.values))
    pending_id = None
    if not parsed.errors:
        kept = await pending.keep(event, KIND, filename, content, actor=request.state.principal.label)
        pending_id = kept.id
    return await _preview(request, parsed, filename, pending_id)


async def confirm(request: Request) -> Response:
    event = await current_event(request)
    await read_form(request)
    kept = await pending.find(event, KIND, path_id(request))
    if kept is None:
        raise ApiError(404, "Importen findes ikke længere; send filen igen")
    parsed = await anyio.to_thread.run_sync(parse_attendees, pending.content_of(kept), kept.filename)
    if parsed.errors:
        return await _preview(request, parsed, kept.filename, None)
    async with in_transaction():
        if not await pending.claim(kept):
            raise ApiError(409, "Filen er allerede importeret")
        result = await import_attendees(event, parsed.rows, parsed.fields, actor=request.state.principal.label,
                                        filename=kept.filename)
    flash(request, "{count} deltager oprettet og {updated} opdateret fra {file}",
          plural="{count} deltagere oprettet og {updated} opdateret fra {file}", count=result.created,
          updated=result.updated, file=kept.filename)
    return await redirect(request, "attendees")


routes = [
    Route("/attendees/import", upload, methods=["GET", "POST"]),
    Route("/attendees/import/{id:int}", confirm, methods=["POST"]),
]
