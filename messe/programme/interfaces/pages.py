"""Public pages: the programme (by time and by stage), one talk, and "Hvad er ændret".

The programme and the change list are rendered once per version of the published programme and
language (caching.renderings) and placed into the page around them, which carries the visitor's
own header; each page's ETag covers both.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from messe.programme.domain.changelog import latest_changes
from messe.programme.domain.programme import Programme, published_programme
from messe.programme.domain.snapshot import Snapshot, parse_time
from messe.programme.domain.summary import TEMPLATES, describe
from messe.programme.interfaces.caching import answer, etag_for, programme_version, renderings
from messe.programme.models import Event, Talk, TalkState
from messe.web.api import path_id
from messe.web.context import current_event
from messe.web.csrf import csrf_token
from messe.web.errors import ApiError
from messe.web.templates import TEMPLATE_DIR, language_of, page_context, render, templates, translate

VIEWS = ("time", "stage")
CLIENT_JS = (TEMPLATE_DIR / "programme" / "live.js").read_text(encoding="utf-8")
CHANGES_SHOWN = 100


def talk_view(talk: Snapshot) -> dict[str, Any]:
    """A snapshot with real times, for templates."""
    return {**talk, "starts": parse_time(talk["starts_at"]), "ends": parse_time(talk["ends_at"]),
            "cancelled": talk["state"] == TalkState.CANCELLED}


def _fragment(request: Request, name: str, context: dict[str, Any]) -> Markup:
    return Markup(templates.get_template(name).render(page_context(request, context)))


def _page(request: Request, name: str, event: Event, **context: Any) -> Response:
    """A page with the live-update hook (programme/_live.html)."""
    return render(request, name, {"event": event, "seq": event.last_seq, "live_texts": TEMPLATES, **context})


def _page_etag(request: Request, event: Event, *parts: Any) -> str:
    """Pages carry the visitor's header (name, CSRF token), so their ETag includes the session."""
    principal = getattr(request.state, "principal", None)
    return etag_for(programme_version(event), language_of(request), principal, csrf_token(request), *parts)


async def programme_page(request: Request) -> Response:
    event = await current_event(request)
    view = request.query_params.get("view", "time")
    if view not in VIEWS:
        view = "time"

    async def body() -> Markup:
        programme: Programme = await published_programme(event)
        if view == "stage":
            groups = [(stage, [talk_view(t) for t in talks]) for stage, talks in programme.by_stage()]
        else:
            groups = [(start, [talk_view(t) for t in talks]) for start, talks in programme.by_time()]
        return _fragment(request, f"programme/_by_{view}.html", {
            "event": event, "groups": groups, "several_days": len(programme.days()) > 1})

    async def page() -> Response:
        key = ("programme", event.id, view, language_of(request))
        fragment = await renderings.get(key, programme_version(event), body)
        return _page(request, "programme/programme.html", event, view=view, body=fragment)

    return await answer(request, _page_etag(request, event, "programme", view), page)


async def talk_page(request: Request) -> Response:
    event = await current_event(request)
    talk_id = path_id(request)
    published = await Talk.filter(id=talk_id, event=event).first().values_list("published", flat=True)
    if not published:
        raise ApiError(404, "Foredraget findes ikke")
    return await answer(request, _page_etag(request, event, "talk", talk_id),
                        lambda: _page(request, "programme/talk.html", event, talk=talk_view(published)))


def change_line(request: Request, event: Event, kind: str, before: Snapshot | None, after: Snapshot | None,
                message: dict[str, Any] | None) -> str:
    line = describe(kind, before, after, message, event.timezone)
    return translate(request, line.template, **line.values)


async def changes_page(request: Request) -> Response:
    event = await current_event(request)

    async def body() -> Markup:
        changes = await latest_changes(event, CHANGES_SHOWN)
        items = [{"seq": c.seq, "kind": c.kind, "at": c.created_at, "talk_id": c.talk_id,
                  "summary": change_line(request, event, c.kind, c.before, c.after, c.message),
                  "body": (c.message or {}).get("body", ""), "urgent": (c.message or {}).get("level") == "urgent"}
                 for c in changes]
        return _fragment(request, "programme/_changes.html", {"event": event, "changes": items})

    async def page() -> Response:
        key = ("changes", event.id, language_of(request))
        fragment = await renderings.get(key, programme_version(event), body)
        return _page(request, "programme/changes.html", event, body=fragment)

    return await answer(request, _page_etag(request, event, "changes"), page)


async def live_client(request: Request) -> Response:
    """The phones' live-update script (served here so it ships with the live protocol it speaks)."""
    return await answer(request, etag_for("live.js", CLIENT_JS), lambda: Response(
        CLIENT_JS, media_type="text/javascript; charset=utf-8"))
