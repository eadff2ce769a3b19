"""The programme's REST API under ``/<event>/api/``.

Anyone reads the published programme; organisers (bearer token or session) read the draft with
``?draft=1`` and change it. A write publishes at once unless the body says ``"draft": true``;
``POST /api/publish`` publishes the whole draft as a named version. Changes attendees see are
written to the change log in the same transaction and handed to the live hub after commit.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from messe.common.models import Event
from messe.live.protocol import MAX_SEQ
from messe.programme.domain import editing, publishing, stages
from messe.programme.domain.changelog import changes_after, classify
from messe.programme.domain.editing import next_snapshot
from messe.programme.domain.snapshot import iso
from messe.programme.domain.summary import describe
from messe.programme.interfaces.caching import answer, current_programme, etag_for, programme_version
from messe.programme.interfaces.schemas import (
    AnnouncementIn,
    ChangeOut,
    ChangesOut,
    LiveStatusOut,
    PublishIn,
    ReleaseOut,
    SpeakerOut,
    StageIn,
    StageOut,
    StagePatch,
    TalkDraftOut,
    TalkIn,
    TalkPatch,
    TalkView,
    TrackOut,
)
from messe.programme.models import ScheduleChange, Speaker, Stage, Talk, Track
from messe.web.api import ApiRoute, Operation, page_of, paginate, path_id, read_json, validate
from messe.web.context import current_event, require_organiser
from messe.web.errors import ApiError
from messe.web.templates import language_of, translate

ORGANISER = ("organiser",)
TAGS = ("Program",)


class _Query(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TalksQuery(_Query):
    draft: bool = False


class ChangesQuery(_Query):
    since: int = Field(default=0, ge=0, le=MAX_SEQ)
    limit: int = Field(default=100, ge=1, le=500)


DRAFT_PARAM = {"name": "draft", "schema": {"type": "boolean"},
               "description": "Organisers: the draft instead of the published programme"}
DRAFT_ERRORS = (403,)  # the draft, asked for by someone who is not an organiser


def _json(data: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status_code, headers=headers)


# Talks


def _draft(talk: Talk, speakers: list[Speaker] | None = None) -> dict[str, Any]:
    """``talk`` as organisers edit it; its stage and track must be fetched, and its speakers
    unless ``speakers`` is given."""
    speakers = list(talk.speakers) if speakers is None else speakers
    return {
        "id": talk.id, "code": talk.code, "title": talk.title, "abstract": talk.abstract,
        "language": talk.language, "starts_at": iso(talk.starts_at), "ends_at": iso(talk.ends_at),
        "state": talk.state, "stage_id": talk.stage_id, "track_id": talk.track_id,
        "speaker_ids": sorted(s.id for s in speakers), "revision": talk.revision,
        "published": talk.published,
        "pending": classify(talk.published, next_snapshot(talk, speakers=speakers)) is not None,
    }


def _talk_etag(talk: Talk) -> str:
    return f'"{talk.revision}"'


def _if_match(request: Request) -> int | None:
    """The revision the client's If-Match names; None when it sent none (or ``*``)."""
    header = request.headers.get("if-match", "").strip()
    if not header or header == "*":
        return None
    found = re.fullmatch(r'(?:W/)?"(\d{1,10})"', header)
    if found is None:
        raise ApiError(412)
    return int(found.group(1))


async def _wants_draft(request: Request) -> bool:
    if validate(TalksQuery, dict(request.query_params)).draft:
        await require_organiser(request)
        return True
    return False


async def talks(request: Request) -> Response:
    event = await current_event(request)
    if request.method == "POST":
        principal = await require_organiser(request)
        body = await read_json(request, TalkIn)
        saved = await editing.create_talk(event.id, body.values(), publish=not body.draft, actor=principal.label)
        headers = {"Location": f"/{event.slug}/api/talks/{saved.talk.id}", "ETag": _talk_etag(saved.talk)}
        return _json(_draft(saved.talk, saved.speakers), 201, headers)
    if await _wants_draft(request):
        items, meta = await paginate(request, Talk.filter(event=event).prefetch_related("stage", "track", "speakers")
                                     .order_by("starts_at", "id"))
        data = {"items": [_draft(t) for t in items], **meta}
        return await answer(request, etag_for("draft-talks", data), lambda: _json(data))

    async def published() -> Response:
        programme = await current_programme(event)
        items, meta = page_of(request, sorted(programme.talks, key=lambda t: (t["starts_at"], t["id"])))
        return _json({"items": items, **meta})

    return await answer(request, etag_for("talks", programme_version(event), request.url.query), published)


async def talk_detail(request: Request) -> Response:
    event = await current_event(request)
    talk_id = path_id(request)
    if request.method == "GET":
        draft = await _wants_draft(request)
        talk = await Talk.get_or_none(id=talk_id, event=event).prefetch_related("stage", "track", "speakers")
        if talk is None or (talk.published is None and not draft):
            raise ApiError(404, "Foredraget findes ikke")
        return await answer(request, _talk_etag(talk), lambda: _json(_draft(talk) if draft else talk.published))
    principal = await require_organiser(request)
    revision = _if_match(request)
    if request.method == "DELETE":
        await editing.delete_talk(event.id, talk_id, revision=revision, actor=principal.label)
        return Response(status_code=204)
    body = await read_json(request, TalkPatch)
    body.refuse_nulls()
    saved = await editing.update_talk(event.id, talk_id, body.values(), publish=not body.draft,
                                      revision=revision, actor=principal.label)
    return _json(_draft(saved.talk, saved.speakers), headers={"ETag": _talk_etag(saved.talk)})


# Stages, tracks, speakers


def _stage(stage: Stage) -> dict[str, Any]:
    return {"id": stage.id, "code": stage.code, "name": stage.name, "hall": stage.hall,
            "capacity": stage.capacity, "position": stage.position}


async def stage_list(request: Request) -> Response:
    event = await current_event(request)
    if request.method == "POST":
        principal = await require_organiser(request)
        body = await read_json(request, StageIn)
        stage = await stages.create_stage(event.id, body.model_dump(), actor=principal.label)
        return _json(_stage(stage), 201, {"Location": f"/{event.slug}/api/stages/{stage.id}"})
    items, meta = await paginate(request, Stage.filter(event=event).order_by("position", "id"))
    data = {"items": [_stage(s) for s in items], **meta}
    return await answer(request, etag_for("stages", data), lambda: _json(data))


async def stage_detail(request: Request) -> Response:
    event = await current_event(request)
    stage_id = path_id(request)
    if request.method == "GET":
        stage = await Stage.get_or_none(id=stage_id, event=event)
        if stage is None:
            raise ApiError(404, "Scenen findes ikke")
        data = _stage(stage)
        return await answer(request, etag_for("stage", data), lambda: _json(data))
    principal = await require_organiser(request)
    if request.method == "DELETE":
        await stages.delete_stage(event.id, stage_id, actor=principal.label)
        return Response(status_code=204)
    body = await read_json(request, StagePatch)
    body.refuse_nulls()
    stage, _ = await stages.update_stage(event.id, stage_id, body.model_dump(exclude_unset=True),
                                         actor=principal.label)
    return _json(_stage(stage))


async def track_list(request: Request) -> Response:
    event = await current_event(request)
    items, meta = await paginate(request, Track.filter(event=event).order_by("name", "id"))
    data = {"items": [{"id": t.id, "code": t.code, "name": t.name, "color": t.color} for t in items], **meta}
    return await answer(request, etag_for("tracks", data), lambda: _json(data))


async def speaker_list(request: Request) -> Response:
    """The speakers of the published programme: one only on a draft talk is not public yet."""
    event = await current_event(request)
    snapshots = await Talk.filter(event=event, published__isnull=False).values_list("published", flat=True)
    public = {speaker["id"] for snapshot in snapshots if snapshot for speaker in snapshot.get("speakers", [])}
    items, meta = await paginate(request, Speaker.filter(event=event, id__in=public).order_by("name", "id"))
    data = {"items": [{"id": s.id, "code": s.code, "name": s.name, "organisation": s.organisation,
                       "job_title": s.job_title, "bio": s.bio} for s in items], **meta}
    return await answer(request, etag_for("speakers", data), lambda: _json(data))


# The change log


def change_json(request: Request, event: Event, change: ScheduleChange) -> dict[str, Any]:
    line = describe(change.kind, change.before, change.after, change.message, event.timezone)
    return {"seq": change.seq, "kind": change.kind, "talk_id": change.talk_id, "talk": change.after,
            "before": change.before, "message": change.message, "version": change.version,
            "at": iso(change.created_at), "summary": translate(request, line.template, **line.values)}


async def change_list(request: Request) -> Response:
    event = await current_event(request)
    query = validate(ChangesQuery, dict(request.query_params))

    async def build() -> Response:
        rows = await changes_after(event, query.since, query.limit + 1)
        return _json({"items": [change_json(request, event, c) for c in rows[: query.limit]],
                      "last_seq": event.last_seq, "more": len(rows) > query.limit})

    etag = etag_for("changes", event.last_seq, query.since, query.limit, language_of(request))
    return await answer(request, etag, build)


async def announcements(request: Request) -> Response:
    principal = await require_organiser(request)
    event = await current_event(request)
    body = await read_json(request, AnnouncementIn)
    change = await publishing.announce(event.id, body.model_dump(exclude={"talk_id"}), body.talk_id,
                                       actor=principal.label)
    return _json(change_json(request, event, change), 201)


async def publish(request: Request) -> Response:
    principal = await require_organiser(request)
    event = await current_event(request)
    body = await read_json(request, PublishIn)
    result = await publishing.publish_release(event.id, body.version, body.comment, actor=principal.label)
    release = result.release
    return _json({"version": release.version, "comment": release.comment, "seq": release.seq,
                  "changes": len(result.changes), "created_at": iso(release.created_at)}, 201)


async def live_status(request: Request) -> Response:
    await require_organiser(request)
    event = await current_event(request)
    return _json(await request.app.state.hub.status(event.id))


TALK_RULES = ("Sluttidspunktet skal ligge efter starttidspunktet, koden kan kun bruges af ét foredrag, og et "
              "offentliggjort foredrag kan ikke blive kladde igen.")
STAGE_RULE = "Koden kan kun bruges af én scene."

routes = [
    ApiRoute("/api/talks", talks, operations={
        "GET": Operation("Programmets foredrag (det offentliggjorte, eller kladden med ?draft=1)", response=TalkView,
                         paged=True, query=(DRAFT_PARAM,), errors=DRAFT_ERRORS, tags=TAGS),
        "POST": Operation("Opret et foredrag (offentliggøres straks, medmindre draft er true)", roles=ORGANISER,
                          rules=TALK_RULES, body=TalkIn, response=TalkDraftOut, status=201, errors=(409,), tags=TAGS),
    }),
    ApiRoute("/api/talks/{id:int}", talk_detail, operations={
        "GET": Operation("Et foredrag; ETag er revisionen", response=TalkView, query=(DRAFT_PARAM,),
                         errors=DRAFT_ERRORS, tags=TAGS),
        "PATCH": Operation("Flyt, omdøb, skift scene eller aflys et foredrag (If-Match: revisionen)",
                           rules=TALK_RULES, roles=ORGANISER, body=TalkPatch, response=TalkDraftOut, errors=(412,),
                           tags=TAGS),
        "DELETE": Operation("Slet et foredrag, der aldrig har været offentliggjort", roles=ORGANISER, status=204,
                            errors=(409, 412), tags=TAGS),
    }),
    ApiRoute("/api/stages", stage_list, operations={
        "GET": Operation("Scener", response=StageOut, paged=True, tags=TAGS),
        "POST": Operation("Opret en scene", rules=STAGE_RULE, roles=ORGANISER, body=StageIn, response=StageOut,
                          status=201, tags=TAGS),
    }),
    ApiRoute("/api/stages/{id:int}", stage_detail, operations={
        "GET": Operation("En scene", response=StageOut, tags=TAGS),
        "PATCH": Operation("Ret en scene (offentliggjorte foredrag på den opdateres)",
                           rules=STAGE_RULE, roles=ORGANISER,
                           body=StagePatch, response=StageOut, tags=TAGS),
        "DELETE": Operation("Slet en scene uden foredrag", roles=ORGANISER, status=204, errors=(409,), tags=TAGS),
    }),
    ApiRoute("/api/tracks", track_list, operations={
        "GET": Operation("Spor", response=TrackOut, paged=True, tags=TAGS)}),
    ApiRoute("/api/speakers", speaker_list, operations={
        "GET": Operation("Talerne på det offentliggjorte program", response=SpeakerOut, paged=True, tags=TAGS)}),
    ApiRoute("/api/changes", change_list, operations={
        "GET": Operation("Ændringsloggen efter et seq-nummer, i rækkefølge", response=ChangesOut, tags=TAGS,
                         query=({"name": "since", "schema": {"type": "integer", "minimum": 0, "maximum": MAX_SEQ}},
                                {"name": "limit", "schema": {"type": "integer", "minimum": 1, "maximum": 500}})),
    }),
    ApiRoute("/api/announcements", announcements, operations={
        "POST": Operation("Send en meddelelse til alle telefoner",
                          rules="talk_id skal være et offentliggjort foredrag.", roles=ORGANISER, body=AnnouncementIn,
                          response=ChangeOut, status=201, tags=TAGS),
    }),
    ApiRoute("/api/publish", publish, operations={
        "POST": Operation("Offentliggør kladden som en navngivet version", roles=ORGANISER, body=PublishIn,
                          response=ReleaseOut, status=201, errors=(409,), tags=TAGS),
    }),
    ApiRoute("/api/live", live_status, operations={
        "GET": Operation("Live-opdateringernes tilstand: i den proces, der svarer, og i alle processer",
                         roles=ORGANISER, response=LiveStatusOut, tags=TAGS),
    }),
]
