"""What a request may carry, checked before any route runs.

* A body of at most ``Settings.max_body_size`` bytes for an HTML form or upload
  (``application/x-www-form-urlencoded``, ``multipart/form-data``), and of at most
  ``Settings.max_json_body_size`` for anything else: every other body is JSON, which the API reads
  in one piece, so it gets a limit that fits what the API takes (256 KB), not the
  uploads' megabytes. A larger body gets 413 as soon as its Content-Length says so, or as soon as
  the bytes read pass the limit (chunked uploads).
* No NUL character in the URL: PostgreSQL can neither store nor compare text that holds one, so a
  search for ``?q=%00`` would otherwise end in a server error (400).

Both answers are our own error responses, JSON for the API and a page in the visitor's language
for browsers, with the security headers. (Starlette's own ``max_body_size`` answers a declared
oversize body with a bare text response, replacing whatever the application answers.)
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from messe.web.errors import ApiError, http_error

TOO_LARGE = "Forespørgslen er for stor (højst {megabytes} MB)"
JSON_TOO_LARGE = "Forespørgslen er for stor (højst {kilobytes} KB)"
NUL_IN_URL = "Adressen indeholder tegnet NUL (%00), som ikke er tilladt"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def form_too_large(limit: int) -> ApiError:
    return ApiError(413, TOO_LARGE, values={"megabytes": f"{limit / 2**20:g}"})


class RequestLimitsMiddleware:
    def __init__(self, app: ASGIApp, max_body_size: int, max_json_body_size: int | None = None) -> None:
        self.app = app
        self.max_body_size = max_body_size
        self.max_json_body_size = max_body_size if max_json_body_size is None else max_json_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        is_form = headers.get("content-type", "").lower().startswith(FORM_TYPES)
        limit, too_large = (self.max_body_size, self._form_too_large) if is_form else (
            self.max_json_body_size, self._json_too_large)
        refusal = self._refusal(scope, headers, limit, too_large)
        if refusal is not None:
            response = await http_error(Request(scope, receive), refusal)
            await response(scope, receive, send)
            return
        await self.app(scope, self._limited(receive, limit, too_large), send)

    def _form_too_large(self) -> ApiError:
        return form_too_large(self.max_body_size)

    def _json_too_large(self) -> ApiError:
        if self.max_json_body_size >= 2**20:
            return form_too_large(self.max_json_body_size)
        return ApiError(413, JSON_TOO_LARGE, values={"kilobytes": f"{self.max_json_body_size / 2**10:g}"})

    @staticmethod
    def _refusal(scope: Scope, headers: Headers, limit: int, too_large: Callable[[], ApiError]) -> ApiError | None:
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope["path"]:
            return ApiError(400, NUL_IN_URL)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return too_large()
        return None

    @staticmethod
    def _limited(receive: Receive, limit: int, too_large: Callable[[], ApiError]) -> Receive:
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise too_large()
            return message

        return limited_receive
