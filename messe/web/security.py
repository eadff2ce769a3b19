"""Security headers on every response, and the CSRF check for session-authenticated fetch calls.

HTML forms are checked where they are read (``messe.web.forms.read_form``), since the body can
only be read once; JSON and other non-form requests from a signed-in browser must carry the
``X-CSRF-Token`` header, which is checked here before the endpoint runs.
"""

from __future__ import annotations

import hmac
import json

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from messe.config import Settings
from messe.web.csrf import FIELD, HEADER, SAFE_METHODS

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self' ws: wss:; media-src 'self' blob:; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        headers = [
            (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
            (b"referrer-policy", b"same-origin"),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"permissions-policy", b"camera=(self), microphone=(), geolocation=()"),
        ]
        if settings.secure_cookies:
            headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._csrf_header_missing(scope):
            await self._refuse(send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in self.headers if k not in existing
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _csrf_header_missing(scope: Scope) -> bool:
        if scope["method"] in SAFE_METHODS:
            return False
        headers = Headers(scope=scope)
        if headers.get("authorization", "").lower().startswith("bearer "):
            return False
        if headers.get("content-type", "").startswith(FORM_TYPES):
            return False
        session = scope.get("session") or {}
        signed_in = bool(session.get("account_id") or session.get("attendee_id"))
        if not signed_in:
            return False
        expected = session.get(FIELD, "")
        supplied = headers.get(HEADER, "")
        return not (expected and hmac.compare_digest(supplied, expected))

    @staticmethod
    async def _refuse(send: Send) -> None:
        body = json.dumps({"error": "Sikkerhedstjek fejlede (CSRF). Genindlæs siden og prøv igen.",
                           "status": 403}, ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
