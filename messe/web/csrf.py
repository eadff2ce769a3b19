"""CSRF protection for everything signed in by session cookie.

A random token lives in the signed session; unsafe requests must echo it, as the form field
``csrf_token`` or the ``X-CSRF-Token`` header (for the pages' own fetch calls). Requests
authenticated with a bearer token carry no cookie and need no CSRF token.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FIELD = "csrf_token"
HEADER = "x-csrf-token"


def csrf_token(request: Request) -> str:
    if "session" not in request.scope:
        return ""
    token = request.session.get(FIELD)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[FIELD] = token
    return token


def rotate_token(request: Request) -> None:
    """A new token for a session that has just signed someone in: a token seen before (on the sign-in
    page, perhaps by someone else at a shared computer) proves nothing afterwards."""
    request.session[FIELD] = secrets.token_urlsafe(24)


def existing_token(request: Request) -> str:
    """The session's token if it has one; never makes one (an anonymous page sets no cookie)."""
    return request.session.get(FIELD, "") if "session" in request.scope else ""


class LazyToken:
    """The session's token, made only when a template actually writes it into the page: pages
    that need none (the anonymous programme) then set no session cookie and can be shared."""

    def __init__(self, request: Request) -> None:
        self._request = request

    def __str__(self) -> str:
        return csrf_token(self._request)

    def __html__(self) -> str:
        return str(self)

    def __bool__(self) -> bool:
        return True


def needs_check(request: Request) -> bool:
    if request.method in SAFE_METHODS:
        return False
    return not request.headers.get("authorization", "").lower().startswith("bearer ")


async def csrf_ok(request: Request) -> bool:
    expected = request.session.get(FIELD) if "session" in request.scope else None
    if not expected:
        return False
    supplied = request.headers.get(HEADER)
    if supplied is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            supplied = form.get(FIELD)
    return isinstance(supplied, str) and hmac.compare_digest(supplied, expected)
