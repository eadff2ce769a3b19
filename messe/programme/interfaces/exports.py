"""The programme for other software: frab XML and JSON, iCalendar, and the Atom feed of changes.

Each export is built once per version of the published programme (caching.renderings) and
answers If-None-Match with 304.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from messe.common.models import Event
from messe.programme.domain import atom, frab, ical
from messe.programme.domain.changelog import latest_changes
from messe.programme.domain.site import Site
from messe.programme.interfaces.caching import answer, current_programme, etag_for, programme_version, renderings
from messe.programme.interfaces.pages import change_line
from messe.web.context import current_event
from messe.web.templates import language_of, translate

FEED_ENTRIES = 50


def site_of(request: Request, event: Event) -> Site:
    version = f"{event.published_version or '0'}+{event.last_seq}"
    return Site(base_url=request.app.state.settings.base_url, version=version)


async def _export(request: Request, name: str, media_type: str,
                  build: Callable[[Event], Awaitable[bytes]], *key: str) -> Response:
    event = await current_event(request)
    version = programme_version(event)

    async def respond() -> Response:
        body = await renderings.get((name, event.id, *key), version, lambda: build(event))
        return Response(body, media_type=media_type)

    return await answer(request, etag_for(name, version, *key), respond)


async def schedule_xml(request: Request) -> Response:
    async def build(event: Event) -> bytes:
        return frab.schedule_xml(await current_programme(event), site_of(request, event))

    return await _export(request, "schedule.xml", "application/xml", build)


async def schedule_json(request: Request) -> Response:
    async def build(event: Event) -> bytes:
        document = frab.schedule_json(await current_programme(event), site_of(request, event))
        return json.dumps(document, ensure_ascii=False, indent=1).encode()

    return await _export(request, "schedule.json", "application/json", build)


async def schedule_ics(request: Request) -> Response:
    async def build(event: Event) -> bytes:
        return ical.calendar(await current_programme(event), site_of(request, event),
                             cancelled_prefix=translate(request, "Aflyst") + ": ")

    return await _export(request, "schedule.ics", "text/calendar; charset=utf-8", build, language_of(request))


async def changes_atom(request: Request) -> Response:
    async def build(event: Event) -> bytes:
        site = site_of(request, event)
        base = f"{site.base_url}/{event.slug}"
        changes = await latest_changes(event, FEED_ENTRIES)
        entries = [atom.FeedEntry(
            id=f"{base}/changes#seq-{c.seq}",
            title=change_line(request, event, c.kind, c.before, c.after, c.message),
            updated=c.created_at,
            link=site.talk_url(event.slug, c.talk_id) if c.talk_id else f"{base}/changes",
            content=(c.message or {}).get("body") or change_line(request, event, c.kind, c.before, c.after,
                                                                 c.message),
        ) for c in changes]
        updated: datetime = changes[0].created_at if changes else event.created_at
        return atom.feed(feed_id=f"{base}/changes.atom", title=f"{event.name}: {translate(request, 'Hvad er ændret')}",
                         updated=updated, self_url=f"{base}/changes.atom", page_url=f"{base}/changes",
                         author=event.name, language=language_of(request), entries=entries)

    return await _export(request, "changes.atom", "application/atom+xml", build, language_of(request))
