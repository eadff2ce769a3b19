"""What a request may carry, checked before any route runs.

* A body of at most ``Settings.max_body_size`` bytes: a larger one gets 413 as soon as its
  Content-Length says so, or as soon as the bytes read pass the limit (chunked uploads).
* No NUL character in the URL: PostgreSQL can neither store nor compare text that holds one, so a
  search for ``?q=%00`` would otherwise end in a server error (400).

Both answers are our own error responses, JSON for the API and a page in the visitor's language
for browsers, with the security headers. (Starlette's own ``max_body_size`` answers a declared
oversize body with a bare text response, replacing whatever the application answers.)
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from messe.web.errors import ApiError, http_error

TOO_LARGE = "Forespørgslen er for stor (højst {megabytes} MB)"
NUL_IN_URL = "Adressen indeholder tegnet NUL (%00), som ikke er tilladt"


class RequestLimitsMiddleware:
    def __init__(self, app: ASGIApp, max_body_size: int) -> None:
        self.app = app
        self.max_body_size = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            response = await http_error(Request(scope, receive), refusal)
            await response(scope, receive, send)
            return
        await self.app(scope, self._limited(receive), send)

    def _too_large(self) -> ApiError:
        return ApiError(413, TOO_LARGE, values={"megabytes": f"{self.max_body_size / 2**20:g}"})

    def _refusal(self, scope: Scope) -> ApiError | None:
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope["path"]:
            return ApiError(400, NUL_IN_URL)
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_size:
            return self._too_large()
        return None

    def _limited(self, receive: Receive) -> Receive:
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body_size:
                raise self._too_large()
            return message

        return limited_receive
