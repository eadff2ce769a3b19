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
from starlette.types import ASGIApp, Receive, Scope, Send

from messe.web.errors import ApiError, http_error

BUSY = "messe har travlt lige nu; prøv igen om et øjeblik"
RETRY_AFTER_SECONDS = 1


class AdmissionMiddleware:
    def __init__(self, app: ASGIApp, max_in_flight: int) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.in_flight = 0
        self.refused = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(("/static/", "/vendor/")):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_in_flight:
            self.refused += 1
            busy = ApiError(503, BUSY, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
            await (await http_error(Request(scope), busy))(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
