"""Authoring a talk: creating one, editing every field of it (title, abstract, language, track,
speakers, time, stage, state), the impact preview before a published talk changes, and deleting
a draft. Every write goes through the use case in ``messe.programme.domain.editing`` that says
what the organiser did (:func:`_save`).

An edit stays in the draft unless the organiser ticks "Offentliggør nu"; a published talk's
change is previewed first, and the preview offers both saving the draft and sending the change
to the phones. The form carries the talk's revision and the facts the organiser saw: a save over
someone else's newer edit is refused (the use case checks the revision in its transaction), and
the refusal shows what changed since, so nothing is silently overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.interfaces.forms import FormErrors, form_values, problems, validate
from messe.admin.interfaces.schemas import NewTalkForm, TalkForm
from messe.admin.interfaces.view import DRAFT_STATES, flash, page, redirect
from messe.common.models import Event
from messe.common.refusal import Problem, Refusal, RefusalKind
from messe.programme.domain.editing import (
    PLACEMENT,
    Saved,
    cancel_talk,
    create_talk,
    delete_talk,
    move_talk,
    publish_draft,
    update_talk,
)
from messe.programme.domain.impact import impact_of
from messe.programme.domain.moves import Move, changed_values, local_start, make_move, minutes, move_problems, rebase
from messe.programme.domain.release import public_state, standing, unpublished
from messe.programme.domain.slots import public_slot
from messe.programme.domain.talk_facts import TalkFacts, differences, facts_of, last_edit
from messe.programme.models import Speaker, Stage, Talk, TalkState, Track
from messe.web.api import path_id
from messe.web.context import current_event
from messe.web.errors import ApiError
from messe.web.forms import read_form
from messe.web.templates import translate

SECTION = "programme"
NOT_FOUND = "Foredraget findes ikke"
CLOCK = "%Y-%m-%dT%H:%M"
CONTENT = ("title", "abstract", "language", "track_id")
# A rule's field as the form names it (the form asks for a length, not an end).
RULE_FIELDS = {"ends_at": "duration"}


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


def edit_values(event: Event, talk: Talk) -> dict[str, Any]:
    """The talk page's form as the talk is now: its placement and its content."""
    return {**initial_values(event, talk), "title": talk.title, "abstract": talk.abstract, "language": talk.language,
            "track_id": talk.track_id, "speaker_ids": sorted(s.id for s in talk.speakers)}


def move_values(event: Event, talk: Talk, move: Move) -> dict[str, Any]:
    """The form for ``move`` of the talk as it is now (to try a move again on a newer revision)."""
    return {**initial_values(event, talk), "starts_at": local_start(event, move.starts_at).strftime(CLOCK),
            "duration": minutes(move.starts_at, move.ends_at),
            "stage_id": move.stage.id if move.stage else None, "state": move.state}


def submitted(form: FormData | QueryParams, schema: type[TalkForm] | type[NewTalkForm]) -> dict[str, Any]:
    """The form's values; the speakers are a list (the form always sends an empty marker with them,
    so that ticking none means none, while the grid's move, which sends none, leaves them alone)."""
    data = form_values(form, schema)
    if "speaker_ids" in form:
        data["speaker_ids"] = [value for value in form.getlist("speaker_ids") if value != ""]
    return data


async def _choices(request: Request, event: Event) -> dict[str, Any]:
    stages = await Stage.filter(event=event).order_by("position", "id")
    return {
        "stage_choices": [(s.id, translate(request, "{name} ({count} pladser)", name=s.name, count=s.capacity))
                          for s in stages],
        "track_choices": [(t.id, t.name) for t in await Track.filter(event=event).order_by("name", "id")],
        "speakers": await Speaker.filter(event=event).order_by("name", "id"),
    }


async def _form_page(request: Request, talk: Talk | None, values: dict[str, Any], errors: FormErrors) -> Response:
    event = await current_event(request)
    never_published = talk is None or talk.published is None
    return await page(request, "admin/talk_form.html", SECTION, {
        "talk": talk, "values": values, "errors": errors, **await _choices(request, event),
        "public": public_slot(talk.published) if talk and talk.published else None,
        "public_state": public_state(talk) if talk else TalkState.DRAFT, "standing": standing(talk) if talk else "",
        "state_choices": [(s, DRAFT_STATES[s]) for s in TalkState.ALL
                          if (s != TalkState.DRAFT or never_published) and (s != TalkState.CANCELLED or talk)],
    }, status_code=422 if errors else 200)


async def talk_form(request: Request) -> Response:
    """GET: the form as the talk is now, or with the values of a preview the organiser goes back to.
    POST: a never-published talk is saved at once; a change to a published one is previewed."""
    event = await current_event(request)
    talk = await talk_or_404(request)
    if request.method == "POST":
        return await _edit(request, talk, preview_first=talk.published is not None, from_form=True)
    return await _form_page(request, talk, {**edit_values(event, talk),
                                            **submitted(request.query_params, TalkForm)}, {})


async def _read_edit(request: Request) -> tuple[TalkForm | None, Move | None, dict[str, Any], FormErrors]:
    event = await current_event(request)
    data = submitted(await read_form(request), TalkForm)
    form, errors = validate(request, TalkForm, data)
    if form is None:
        return None, None, data, errors
    stage = None
    if form.stage_id is not None:
        stage = await Stage.get_or_none(id=form.stage_id, event=event)
        if stage is None:
            return None, None, data, {"stage_id": translate(request, "Scenen findes ikke")}
    return form, make_move(event, form.starts_at, form.duration, stage, form.state), data, {}


def _new_speakers(form: TalkForm | NewTalkForm) -> list[dict[str, str]]:
    if not form.new_speaker_name:
        return []
    return [{"name": form.new_speaker_name, "organisation": form.new_speaker_organisation}]


def edited_values(talk: Talk, form: TalkForm, move: Move) -> dict[str, Any]:
    """What the submitted form changes of ``talk``, as the editing use cases take it."""
    values = changed_values(talk, move)
    for name in CONTENT:
        if name in form.model_fields_set and getattr(form, name) != getattr(talk, name):
            values[name] = getattr(form, name)
    if form.speaker_ids is not None and set(form.speaker_ids) != {s.id for s in talk.speakers}:
        values["speaker_ids"] = sorted(set(form.speaker_ids))
    if people := _new_speakers(form):
        values["new_speakers"] = people
    return values


async def _preview_page(request: Request, talk: Talk, form: TalkForm, move: Move, values: dict[str, Any],
                        problems_found: list[Problem] | None = None) -> Response:
    event = await current_event(request)
    facts = facts_of(talk)
    chosen = list(talk.speakers)
    if form.speaker_ids is not None:
        chosen = await Speaker.filter(event=event, id__in=form.speaker_ids)
    title = form.title or talk.title
    if problems_found is None:
        problems_found = await move_problems(event, talk, move, chosen, title)
    after = facts.moved(move.starts_at, move.ends_at, move.stage, move.state).edited(
        title, [s.name for s in chosen] + [p["name"] for p in _new_speakers(form)])
    return await page(request, "admin/talk_preview.html", SECTION, {
        "talk": talk, "values": values, "impact": await impact_of(talk, move), "problems": problems_found,
        "changes": differences(facts, after),
    }, status_code=422 if problems_found else 200)


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


def _field_problems(request: Request, exc: Refusal) -> FormErrors:
    return {RULE_FIELDS.get(name, name): message for name, message in problems(request, exc).items()}


async def _save(event: Event, talk: Talk, values: dict[str, Any], form: TalkForm, actor: str) -> Saved:
    """Save what the organiser changed (``values``, never empty unless they publish the draft as it
    is) through the use case that says what it is: publishing the draft, cancelling, moving (the
    grid's drag and drop, the capacity page's suggestion) or any other edit."""
    revision, publish = form.revision, form.publish
    if not values:
        return await publish_draft(event.id, talk.id, revision=revision, actor=actor)
    if values == {"state": TalkState.CANCELLED}:
        return await cancel_talk(event.id, talk.id, publish=publish, revision=revision, actor=actor)
    if values.keys() <= PLACEMENT:
        return await move_talk(event.id, talk.id, values, publish=publish, revision=revision, actor=actor)
    return await update_talk(event.id, talk.id, values, publish=publish, revision=revision, actor=actor)


async def _edit(request: Request, talk: Talk, *, preview_first: bool, from_form: bool = False) -> Response:
    """Read the talk's form and either preview it or save it (through :func:`_save`); a broken rule
    is shown on the form (``from_form``) or in the preview."""
    event = await current_event(request)
    form, move, data, errors = await _read_edit(request)
    if form is None or move is None:
        return await _form_page(request, talk, data, errors)
    if form.revision != talk.revision:
        return await _stale_page(request, form.seen, move)
    values = edited_values(talk, form, move)
    if not values and not (form.publish and unpublished(talk)):
        flash(request, "'{title}' er uændret", title=talk.title)
        return await redirect(request, f"{SECTION}#talk-{talk.id}")
    if preview_first:
        return await _preview_page(request, talk, form, move, data)
    try:
        saved = await _save(event, talk, values, form, request.state.principal.label)
    except Refusal as exc:
        if exc.kind is RefusalKind.STALE:
            return await _stale_page(request, form.seen, move)
        if exc.kind is not RefusalKind.INVALID:
            raise
        if from_form:
            return await _form_page(request, talk, data, _field_problems(request, exc))
        return await _preview_page(request, talk, form, move, data, list(exc.problems))
    if saved.changes:
        flash(request, "'{title}' er gemt og sendt til deltagernes telefoner", title=saved.talk.title)
    else:
        flash(request, "'{title}' er gemt i kladden; deltagerne ser det, når det offentliggøres",
              title=saved.talk.title)
    return await redirect(request, f"{SECTION}#talk-{talk.id}")


async def preview(request: Request) -> Response:
    """The impact of a change before it is saved (the grid's drag and drop, and the talk page)."""
    return await _edit(request, await talk_or_404(request), preview_first=True)


async def save(request: Request) -> Response:
    """Save what the preview showed: in the draft, or published at once with "publish"."""
    return await _edit(request, await talk_or_404(request), preview_first=False)


async def new_talk(request: Request) -> Response:
    """A new talk: a draft ("Kladde") until it is published, at once or with the next version."""
    event = await current_event(request)
    if request.method == "GET":
        return await _form_page(request, None, {"state": TalkState.PUBLISHED, "language": "da", "duration": 30,
                                                "speaker_ids": []}, {})
    data = submitted(await read_form(request), NewTalkForm)
    form, errors = validate(request, NewTalkForm, data)
    if form is not None and form.publish and form.state == TalkState.DRAFT:
        form, errors = None, {"publish": translate(
            request, "Et foredrag, der holdes tilbage, kan ikke offentliggøres; vælg I programmet")}
    if form is None:
        return await _form_page(request, None, data, errors)
    move = make_move(event, form.starts_at, form.duration, None, form.state)
    values = {"title": form.title, "abstract": form.abstract or "", "language": form.language or "da",
              "track_id": form.track_id, "speaker_ids": sorted(set(form.speaker_ids or [])),
              "starts_at": move.starts_at, "ends_at": move.ends_at, "stage_id": form.stage_id, "state": form.state,
              "new_speakers": _new_speakers(form)}
    try:
        saved = await create_talk(event.id, values, publish=form.publish, actor=request.state.principal.label)
    except Refusal as exc:
        return await _form_page(request, None, data, _field_problems(request, exc))
    if saved.changes:
        flash(request, "'{title}' er oprettet og sendt til deltagernes telefoner", title=form.title)
    else:
        flash(request, "'{title}' er oprettet som kladde", title=form.title)
    return await redirect(request, f"{SECTION}#talk-{saved.talk.id}")


def _revision(form: Mapping[str, Any]) -> int | None:
    value = str(form.get("revision", ""))
    return int(value) if value.isdigit() and len(value) <= 10 else None


async def remove(request: Request) -> Response:
    """Delete a talk attendees have never seen (a published one is cancelled instead)."""
    event = await current_event(request)
    talk = await talk_or_404(request)
    try:
        await delete_talk(event.id, talk.id, revision=_revision(await read_form(request)),
                          actor=request.state.principal.label)
    except Refusal as exc:
        if exc.kind is RefusalKind.STALE:
            flash(request, "Foredraget er ændret, siden du åbnede det; se det igen, før du sletter det", kind="error")
        elif exc.kind is RefusalKind.CONFLICT:
            flash(request, exc.template, kind="error", **exc.values)
        else:
            raise
        return await redirect(request, f"{SECTION}/talks/{talk.id}")
    flash(request, "Kladden '{title}' er slettet", title=talk.title)
    return await redirect(request, SECTION)


routes = [
    Route("/programme/talks/new", new_talk, methods=["GET", "POST"]),
    Route("/programme/talks/{id:int}", talk_form, methods=["GET", "POST"]),
    Route("/programme/talks/{id:int}/preview", preview, methods=["POST"]),
    Route("/programme/talks/{id:int}/save", save, methods=["POST"]),
    Route("/programme/talks/{id:int}/delete", remove, methods=["POST"]),
]
