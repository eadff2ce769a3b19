"""API tokens: list, create (the token is shown this once), revoke."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.interfaces.forms import form_values, problems, validate
from messe.admin.interfaces.schemas import TokenForm
from messe.admin.interfaces.view import exhibitor_choices, flash, page, redirect
from messe.common.refusal import Refusal
from messe.people.domain.logins import add_token, revoke_token
from messe.people.models import AccountRole, ApiToken
from messe.web.api import path_id
from messe.web.context import current_event
from messe.web.forms import read_form

SECTION = "tokens"


async def token_list(request: Request) -> Response:
    event = await current_event(request)
    errors: dict[str, str] = {}
    values: dict[str, object] = {"role": AccountRole.DOOR}
    new_token = None
    if request.method == "POST":
        values = form_values(await read_form(request), TokenForm)
        form, errors = validate(request, TokenForm, values)
        if form is not None:
            try:
                new_token = await add_token(event, name=form.name, role=form.role, exhibitor_id=form.exhibitor_id,
                                            actor=request.state.principal.label)
            except Refusal as exc:
                errors = problems(request, exc)
            else:
                values = {"role": AccountRole.DOOR}
    tokens = sorted(await ApiToken.filter(event=event).prefetch_related("exhibitor"),
                    key=lambda t: (t.revoked_at is not None, -t.id))
    return await page(request, "admin/tokens.html", SECTION, {
        "tokens": tokens, "new_token": new_token, "values": values, "errors": errors,
        "exhibitors": await exhibitor_choices(event),
    }, status_code=422 if errors else 200)


async def token_revoke(request: Request) -> Response:
    event = await current_event(request)
    await read_form(request)
    token = await revoke_token(event, path_id(request), actor=request.state.principal.label)
    flash(request, "Tokenet '{name}' er tilbagekaldt", name=token.name)
    return await redirect(request, SECTION)


routes = [
    Route("/tokens", token_list, methods=["GET", "POST"]),
    Route("/tokens/{id:int}/revoke", token_revoke, methods=["POST"]),
]
