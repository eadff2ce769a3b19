"""A bound on the work one process takes on at once: beyond it, a clear "busy, try again".

Without a bound, a load past capacity does not fail: it queues. Every request waits for the
database or the loop behind all the earlier ones, latency grows by seconds per minute, memory
with it, and the whole fair slows down together. Here at most ``max_in_flight`` HTTP requests
are being worked on; the next one is answered at once with 503 and ``Retry-After``, in the
visitor's language, so a phone retries a moment later (the scanners' offline outbox does so by
itself, idempotently) and those already admitted finish in normal time.

Not counted: answers served from memory (messe.web.public_cache sits outside this), websockets
(a phone's connection is kept; it costs nothing while idle) and the static files.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from messe.web.errors import ApiError, http_error, wants_json
from messe.web.templates import language_of

BUSY = "messe har travlt lige nu; prøv igen om et øjeblik"
RETRY_AFTER_SECONDS = 1


class Admitted:
    """How many HTTP requests are being worked on right now. The live hub asks it during a fan-out,
    to let them go first (messe.live.hub)."""

    def __init__(self) -> None:
        self.count = 0

    def any(self) -> bool:
        return self.count > 0


class AdmissionMiddleware:
    def __init__(self, app: ASGIApp, max_in_flight: int, admitted: Admitted) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.admitted = admitted
        self.refused = 0
        self._busy_json: dict[str, Response] = {}  # by language: past capacity, refusing must cost little

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(("/static/", "/vendor/")):
            await self.app(scope, receive, send)
            return
        if self.admitted.count >= self.max_in_flight:
            self.refused += 1
            await (await self._busy(Request(scope)))(scope, receive, send)
            return
        self.admitted.count += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.admitted.count -= 1

    async def _busy(self, request: Request) -> Response:
        """The 503 in the visitor's language; the JSON one (scanners, the API) rendered once."""
        busy = ApiError(503, BUSY, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        if not wants_json(request):
            return await http_error(request, busy)
        language = language_of(request)
        if language not in self._busy_json:
            self._busy_json[language] = await http_error(request, busy)
        return self._busy_json[language]
