"""ETags, 304 answers and the in-memory cache of rendered programme views.

The published programme only changes through the change log, so the event's ``last_seq`` (with
the published version) identifies it. Each request loads the event row anyway, so every process
sees a newer ``seq`` at once and rebuilds; there is no timer and nothing to broadcast.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response

from messe.common.models import Event
from messe.programme.domain.programme import Programme, published_programme
from messe.web.public_cache import share

T = TypeVar("T")


def programme_version(event: Event) -> str:
    """Changes whenever what attendees see of ``event``'s programme may have changed."""
    facts = f"{event.created_at}|{event.name}|{event.venue}|{event.timezone}|{event.starts_at}|{event.ends_at}"
    digest = hashlib.blake2b(facts.encode(), digest_size=4).hexdigest()
    return f"{event.last_seq}.{digest}.{event.published_version}"


def etag_for(*parts: Any) -> str:
    digest = hashlib.blake2b("|".join(str(p) for p in parts).encode(), digest_size=10).hexdigest()
    return f'W/"{digest}"'


def _opaque(tag: str) -> str:
    return tag.strip().removeprefix("W/")


def not_modified(request: Request, etag: str) -> bool:
    """Whether the client's If-None-Match already names ``etag`` (weak comparison)."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    wanted = _opaque(etag)
    return any(t.strip() == "*" or _opaque(t) == wanted for t in header.split(","))


async def answer(request: Request, etag: str, build: Callable[[], Response | Awaitable[Response]], *,
                 personal: bool = False) -> Response:
    """``build()``'s response with the ETag, or 304 without building it when the client has it.

    An anonymous answer is the same for every anonymous visitor and is shared
    (messe.web.public_cache) unless it is ``personal`` (a capability address's calendar)."""
    if not personal:
        share(request)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    response = build()
    if inspect.isawaitable(response):
        response = await response
    response.headers.update(headers)
    return response


class RenderCache:
    """The last rendering of each programme view per version, bounded in size.

    A rendering hands the loop back while it runs (web.templates.render_fragment), so requests
    for the same view and version that come meanwhile wait for it instead of rendering it again."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, tuple[str, Any]] = OrderedDict()
        self._building: dict[tuple, asyncio.Task[Any]] = {}

    async def get(self, key: tuple, version: str, build: Callable[[], Awaitable[T]]) -> T:
        found = self._entries.get(key)
        if found is not None and found[0] == version:
            self._entries.move_to_end(key)
            return found[1]
        building = self._building.get((key, version))
        if building is None:
            building = self._building[(key, version)] = asyncio.create_task(self._build(key, version, build))
        return await asyncio.shield(building)  # a waiter that gives up leaves the rendering to the others

    async def _build(self, key: tuple, version: str, build: Callable[[], Awaitable[T]]) -> T:
        try:
            value = await build()
        finally:
            del self._building[(key, version)]
        self._entries[key] = (version, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return value


renderings = RenderCache()


async def current_programme(event: Event) -> Programme:
    """``event``'s published programme, read from the database once per version: the pages, the
    exports and the API's list all answer from it (after a change, one read instead of one each)."""
    return await renderings.get(("programme-data", event.id), programme_version(event),
                                lambda: published_programme(event))
