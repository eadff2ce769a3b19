"""Reading HTML forms with the CSRF check built in."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request

from messe.web.csrf import csrf_ok, existing_token, needs_check
from messe.web.errors import ApiError


async def read_form(request: Request, *, sessionless: bool = False) -> FormData:
    """The submitted form, or 403 if it does not carry this session's CSRF token; 400 if a field
    holds a NUL character, which PostgreSQL can neither store nor compare (no browser sends one).

    ``sessionless`` forms (the language switch) may come from a visitor with no session at all,
    whose pages carry no token: there is nobody signed in to protect."""
    nothing_to_protect = sessionless and not existing_token(request)
    if not nothing_to_protect and needs_check(request) and not await csrf_ok(request):
        raise ApiError(403, "Sikkerhedstjek fejlede (CSRF). Genindlæs siden og prøv igen.")
    form = await request.form()
    with_nul = [name for name, value in form.multi_items() if isinstance(value, str) and "\x00" in value]
    if with_nul:
        raise ApiError(400, "Formularen indeholder tegnet NUL, som ikke er tilladt (felt: {fields})",
                       values={"fields": ", ".join(with_nul)})
    return form
