"""Error responses: JSON for the API, a page in the visitor's language for everything else.

A domain's refusal (:class:`~messe.common.refusal.Refusal`) becomes an HTTP error here and
nowhere else: its kind picks the status, its problems the message and the fields."""

from __future__ import annotations

import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from messe.common.refusal import Refusal, RefusalKind
from messe.web.templates import render, translate

log = logging.getLogger("messe")

STATUS_TITLES = {
    400: "Forkert forespørgsel",
    401: "Log ind for at fortsætte",
    403: "Du har ikke adgang til denne side",
    404: "Siden findes ikke",
    405: "Metoden er ikke tilladt",
    409: "Konflikt",
    412: "Nogen har ændret dette, siden du hentede det",
    413: "Forespørgslen er for stor",
    415: "Formatet understøttes ikke",
    422: "Ugyldige oplysninger",
    429: "For mange forsøg – vent lidt og prøv igen",
    500: "Der skete en fejl hos os",
    503: "Tjenesten er midlertidigt utilgængelig",
}


REFUSAL_STATUS = {RefusalKind.INVALID: 422, RefusalKind.NOT_FOUND: 404, RefusalKind.CONFLICT: 409,
                  RefusalKind.STALE: 412, RefusalKind.FORBIDDEN: 403}


class ApiError(HTTPException):
    """An HTTP error with a message for a person and, for 422, one entry per bad field; ``reason``
    is a stable word for programs (why a badge was refused)."""

    def __init__(self, status_code: int, message: str = "", fields: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None, values: dict[str, Any] | None = None,
                 reason: str | None = None) -> None:
        super().__init__(status_code=status_code, detail=message or STATUS_TITLES.get(status_code, ""),
                         headers=headers)
        self.fields = fields or []
        self.values = values or {}
        self.reason = reason

    @classmethod
    def refused(cls, refusal: Refusal) -> ApiError:
        """The HTTP answer to a domain's refusal: the first problem is the message, every problem
        that names a field is one entry of ``fields``."""
        first = refusal.problems[0]
        fields = [{"field": p.field, "message": p.template, "values": dict(p.values)}
                  for p in refusal.problems if p.field]
        return cls(REFUSAL_STATUS[refusal.kind], first.template, fields=fields, values=dict(first.values),
                   reason=refusal.reason)


def wants_json(request: Request) -> bool:
    """API paths and bearer-token clients get JSON errors; browsers get a page."""
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return True
    return "/api/" in request.url.path or request.url.path.endswith("/api") or (
        "application/json" in request.headers.get("accept", "")
        and "text/html" not in request.headers.get("accept", "")
    )


def _message(request: Request, exc: HTTPException) -> str:
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail else STATUS_TITLES.get(exc.status_code, "")
    return translate(request, detail, **getattr(exc, "values", {}))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=headers)
    message = _message(request, exc)
    if wants_json(request):
        body: dict[str, Any] = {"error": message, "status": exc.status_code}
        if getattr(exc, "reason", None):
            body["reason"] = exc.reason
        fields = getattr(exc, "fields", None)
        if fields:
            body["fields"] = [
                {**f, "message": translate(request, f["message"], **f.get("values", {}))} for f in fields
            ]
            for f in body["fields"]:
                f.pop("values", None)
        return JSONResponse(body, status_code=exc.status_code, headers=headers)
    title = translate(request, STATUS_TITLES.get(exc.status_code, "Fejl"))
    return render(request, "error.html", {"status": exc.status_code, "title": title, "message": message},
                  status_code=exc.status_code, headers=headers)


async def refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refusal)
    return await http_error(request, ApiError.refused(exc))


async def database_unavailable(request: Request, exc: Exception) -> Response:
    """The database (or another service) is out of reach, e.g. restarting: 503, try again shortly
    (a websocket handshake is refused with it too). Answered as a handled error, so the connection
    stays open for the next request and the log gets one line instead of a traceback."""
    log.warning("Unavailable: %s on %s: %s", type(exc).__name__, request.url.path, exc)
    return await http_error(request, ApiError(503, STATUS_TITLES[503], headers={"Retry-After": "5"}))


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    from messe.web.availability import is_database_down

    status = 503 if is_database_down(exc) else 500
    return await http_error(request, ApiError(status, STATUS_TITLES[status]))
