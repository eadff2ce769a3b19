"""Reading HTML forms with the CSRF check built in."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request

from messe.web.csrf import csrf_ok, needs_check
from messe.web.errors import ApiError


async def read_form(request: Request) -> FormData:
    """The submitted form, or 403 if it does not carry this session's CSRF token."""
    if needs_check(request) and not await csrf_ok(request):
        raise ApiError(403, "Sikkerhedstjek fejlede (CSRF). Genindlæs siden og prøv igen.")
    return await request.form()
