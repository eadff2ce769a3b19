"""Moving a talk: the form (start, length, stage, cancel or restore), the impact preview, and the
save that publishes it at once through the change log, so phones update.

The form carries the talk's revision and the facts the organiser saw. A save over someone else's
newer edit is refused (``save_talk`` checks the revision in its transaction), and the refusal
shows what changed since, so nothing is silently overwritten.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.domain.impact import impact_of
from messe.admin.domain.moves import Move, changed_values, local_start, make_move, minutes, move_problems, rebase
from messe.admin.domain.talk_facts import TalkFacts, differences, facts_of, last_edit
from messe.admin.interfaces.forms import FormErrors, form_values, validate
from messe.admin.interfaces.schemas import MoveForm
from messe.admin.interfaces.view import TALK_STATES, flash, page, redirect
from messe.live.runtime import publish_changes
from messe.programme.domain.editing import save_talk
from messe.programme.domain.errors import NotFound, StaleRevision
from messe.programme.domain.rules import ProgrammeError, Violation
from messe.programme.models import Event, Stage, Talk, TalkState
from messe.web.api import path_id
from messe.web.context import current_event
from messe.web.errors import ApiError
from messe.web.forms import read_form
from messe.web.templates import translate

SECTION = "programme"
NOT_FOUND = "Foredraget findes ikke"
CLOCK = "%Y-%m-%dT%H:%M"


async def talk_or_404(request: Request) -> Talk:
    event = await current_event(request)
    talk = await Talk.get_or_none(id=path_id(request), event=event).prefetch_related("stage", "track", "speakers")
    if talk is None:
        raise ApiError(404, NOT_FOUND)
    return talk


def initial_values(event: Event, talk: Talk) -> dict[str, Any]:
    """The form as the talk is now."""
    return {"starts_at": local_start(event, talk.starts_at).strftime(CLOCK),
            "duration": minutes(talk.starts_at, talk.ends_at),
            "stage_id": talk.stage_id, "state": talk.state, "revision": talk.revision,
            "seen": facts_of(talk).encode()}


def move_values(event: Event, talk: Talk, move: Move) -> dict[str, Any]:
    """The form for ``move`` of the talk as it is now (to try a move again on a newer revision)."""
    return {**initial_values(event, talk), "starts_at": local_start(event, move.starts_at).strftime(CLOCK),
            "duration": minutes(move.starts_at, move.ends_at),
            "stage_id": move.stage.id if move.stage else None, "state": move.state}


async def _form_page(request: Request, talk: Talk, values: dict[str, Any], errors: FormErrors) -> Response:
    event = await current_event(request)
    stages = await Stage.filter(event=event).order_by("position", "id")
    return await page(request, "admin/talk_form.html", SECTION, {
        "talk": talk, "values": values, "errors": errors,
        "stage_choices": [(s.id, translate(request, "{name} ({count} pladser)", name=s.name, count=s.capacity))
                          for s in stages],
        "state_choices": [(s, TALK_STATES[s]) for s in TalkState.ALL if s != TalkState.DRAFT or talk.published is None],
    }, status_code=422 if errors else 200)


async def talk_form(request: Request) -> Response:
    """The form as the talk is now, or with the values of a preview the organiser goes back to."""
    event = await current_event(request)
    talk = await talk_or_404(request)
    return await _form_page(request, talk, {**initial_values(event, talk),
                                            **form_values(request.query_params, MoveForm)}, {})


async def _read_move(request: Request) -> tuple[MoveForm | None, Move | None, dict[str, Any], FormErrors]:
    event = await current_event(request)
    data = form_values(await read_form(request), MoveForm)
    form, errors = validate(request, MoveForm, data)
    if form is None:
        return None, None, data, errors
    stage = None
    if form.stage_id is not None:
        stage = await Stage.get_or_none(id=form.stage_id, event=event)
        if stage is None:
            return None, None, data, {"stage_id": translate(request, "Scenen findes ikke")}
    return form, make_move(event, form.starts_at, form.duration, stage, form.state), data, {}


async def _preview_page(request: Request, talk: Talk, move: Move, values: dict[str, Any],
                        problems: list[Violation] | None = None) -> Response:
    event = await current_event(request)
    facts = facts_of(talk)
    problems = await move_problems(event, talk, move) if problems is None else problems
    return await page(request, "admin/talk_preview.html", SECTION, {
        "talk": talk, "values": values, "impact": await impact_of(talk, move), "problems": problems,
        "changes": differences(facts, facts.moved(move.starts_at, move.ends_at, move.stage, move.state)),
    }, status_code=422 if problems else 200)


async def _stale_page(request: Request, seen: str, move: Move) -> Response:
    """Someone saved the talk after this organiser opened it: say what changed, save nothing, and
    offer the organiser's own changes on top of the newer version (through a new preview)."""
    event = await current_event(request)
    talk = await talk_or_404(request)
    before, now = TalkFacts.decode(seen), facts_of(talk)
    mine = rebase(move, before, talk) if before else move
    return await page(request, "admin/talk_stale.html", SECTION, {
        "talk": talk, "changes": differences(before, now) if before else [], "edit": await last_edit(event, talk.id),
        "mine": differences(now, now.moved(mine.starts_at, mine.ends_at, mine.stage, mine.state)),
        "values": move_values(event, talk, mine),
    }, status_code=409)


async def preview(request: Request) -> Response:
    talk = await talk_or_404(request)
    form, move, data, errors = await _read_move(request)
    if form is None or move is None:
        return await _form_page(request, talk, data, errors)
    if form.revision != talk.revision:
        return await _stale_page(request, form.seen, move)
    return await _preview_page(request, talk, move, data)


async def save(request: Request) -> Response:
    event = await current_event(request)
    talk = await talk_or_404(request)
    form, move, data, errors = await _read_move(request)
    if form is None or move is None:
        return await _form_page(request, talk, data, errors)
    values = changed_values(talk, move)
    if form.revision == talk.revision and not values:
        flash(request, "'{title}' er uændret", title=talk.title)
        return await redirect(request, f"{SECTION}#talk-{talk.id}")
    try:
        saved = await save_talk(event.id, talk.id, values, publish=True, revision=form.revision,
                                actor=request.state.principal.label)
    except StaleRevision:
        return await _stale_page(request, form.seen, move)
    except ProgrammeError as exc:
        return await _preview_page(request, talk, move, data, exc.violations)
    except NotFound:
        raise ApiError(404, NOT_FOUND) from None
    publish_changes(request.app, saved.changes)
    if saved.changes:
        flash(request, "'{title}' er gemt og sendt til deltagernes telefoner", title=talk.title)
    else:
        flash(request, "'{title}' er gemt i kladden; deltagerne ser det, når det offentliggøres", title=talk.title)
    return await redirect(request, f"{SECTION}#talk-{talk.id}")


routes = [
    Route("/programme/talks/{id:int}", talk_form, methods=["GET"]),
    Route("/programme/talks/{id:int}/preview", preview, methods=["POST"]),
    Route("/programme/talks/{id:int}/save", save, methods=["POST"]),
]
