"""Security headers on every response, and the CSRF check for every unsafe request that carries a
signed-in session.

A request whose session cookie signs someone in (an attendee, or staff) and whose method is not
safe must prove this session's CSRF token before any endpoint runs, whatever its content type and
whether or not the endpoint reads a body: in the ``X-CSRF-Token`` header (the pages' own fetch
calls), or in the ``csrf_token`` field of an HTML form (url-encoded or multipart). A form's body is
read here, up to the upload limit, and handed on to the endpoint unchanged. Requests with a bearer
token carry no cookie credentials and are exempt. Anonymous forms (signing in, asking for a link)
are still checked where they are read (``messe.web.forms.read_form``); an anonymous session has no
authority to borrow.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from messe.config import Settings
from messe.web.csrf import FIELD, HEADER, SAFE_METHODS
from messe.web.errors import ApiError, http_error
from messe.web.request_limits import FORM_TYPES, form_too_large

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self' ws: wss:; media-src 'self' blob:; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
NO_FRAMING = "frame-ancestors 'none'"
CSRF_FAILED = "Sikkerhedstjek fejlede (CSRF). Genindlæs siden og prøv igen."


Endpoint = Callable[[Request], Awaitable[Response]]


def no_store(endpoint: Endpoint) -> Endpoint:
    """``endpoint`` whose answers no cache keeps (``Cache-Control: no-store``): for pages and data
    that name a person (their own data, an exhibitor's leads), which must not outlive the session in
    a shared computer's browser cache or a proxy."""

    @functools.wraps(endpoint)
    async def answered(request: Request) -> Response:
        response = await endpoint(request)
        response.headers["Cache-Control"] = "no-store"
        return response

    return answered


def frameable_by(response: Response, origins: tuple[str, ...]) -> Response:
    """``response`` that messe itself and ``origins`` (``MESSE_EMBED_ORIGINS``) may show in a frame,
    by the policy's ``frame-ancestors``; the middleware then adds no ``X-Frame-Options``."""
    ancestors = " ".join(("'self'", *origins))
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        NO_FRAMING, f"frame-ancestors {ancestors}")
    return response


def forget_on_this_device(response: Response) -> Response:
    """``response`` telling the browser to drop what it keeps for this site besides cookies: the
    app's offline caches and saved stars (an attendee who signs out or erases their data may be
    handing the phone on). Staff scanners clear their own caches, keeping scans not yet sent."""
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_form_size = settings.max_body_size
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

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {k.lower() for k, _ in message.get("headers", [])}
                if b"content-security-policy" in existing:  # its own policy says who may frame it
                    existing.add(b"x-frame-options")
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in self.headers if k not in existing
                ]
            await send(message)

        refusal, receive = await self._csrf_check(scope, receive)
        if refusal is not None:
            response = await http_error(Request(scope, receive), refusal)
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    async def _csrf_check(self, scope: Scope, receive: Receive) -> tuple[ApiError | None, Receive]:
        """A refusal, or None; and the ``receive`` the endpoint reads the body from."""
        if scope["method"] in SAFE_METHODS:
            return None, receive
        headers = Headers(scope=scope)
        if headers.get("authorization", "").lower().startswith("bearer "):
            return None, receive
        session: Mapping[str, Any] = scope.get("session") or {}
        if not (session.get("account_id") or session.get("attendee_id")):
            return None, receive  # no cookie credentials to abuse; forms check their own token
        expected = session.get(FIELD, "")
        if not isinstance(expected, str) or not expected:
            return ApiError(403, CSRF_FAILED), receive
        if _same(headers.get(HEADER), expected):
            return None, receive
        if not headers.get("content-type", "").lower().startswith(FORM_TYPES):
            return ApiError(403, CSRF_FAILED), receive
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_form_size:
            return form_too_large(self.max_form_size), receive  # what the request limits would answer
        body = await self._read_body(receive)
        if body is None:
            return form_too_large(self.max_form_size), receive
        replay = _replaying(body, receive)
        if not _same(await _form_token(scope, body), expected):
            return ApiError(403, CSRF_FAILED), replay
        return None, replay

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None once it passes the upload limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnect()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_form_size:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _same(supplied: object, expected: str) -> bool:
    return isinstance(supplied, str) and hmac.compare_digest(supplied.encode(), expected.encode())


async def _form_token(scope: Scope, body: bytes) -> object:
    """The ``csrf_token`` field of the form in ``body`` (None if it is absent or the form unreadable)."""
    request = Request(scope, _replaying(body, None))
    try:
        form = await request.form()
    except (HTTPException, MultiPartException, ValueError, KeyError):  # unreadable: no token proven
        return None
    try:
        return form.get(FIELD)
    finally:
        await form.close()


def _replaying(body: bytes, receive: Receive | None) -> Receive:
    """A ``receive`` that hands over ``body`` once, then waits on the client as usual."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if receive is None:
            return {"type": "http.disconnect"}
        return await receive()

    return replay
