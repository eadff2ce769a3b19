"""Password accounts: list, create, stop or allow signing in, set a new password."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.interfaces.forms import edit_page, form_values, problems, validate
from messe.admin.interfaces.schemas import AccountForm, PasswordForm
from messe.admin.interfaces.view import exhibitor_choices, flash, page, redirect
from messe.common.refusal import Refusal
from messe.people.domain.logins import add_account, end_sessions, set_active, set_password
from messe.people.models import Account, AccountRole
from messe.web.api import path_id
from messe.web.context import current_event
from messe.web.errors import ApiError
from messe.web.forms import read_form

SECTION = "accounts"
# Where a form may send the organiser back to after (de)activating an account.
BACK = re.compile(r"^(accounts|exhibitors/[0-9]+)$")


async def account_list(request: Request) -> Response:
    event = await current_event(request)
    accounts = await Account.filter(event=event).prefetch_related("exhibitor").order_by("role", "username")
    return await page(request, "admin/accounts.html", SECTION, {"accounts": accounts})


async def account_new(request: Request) -> Response:
    event = await current_event(request)

    async def save(form: AccountForm) -> str:
        account = await add_account(event, username=form.username, password=form.password, role=form.role,
                                    name=form.name, exhibitor_id=form.exhibitor_id,
                                    actor=request.state.principal.label)
        return account.username

    return await edit_page(request, template="admin/account_form.html", section=SECTION,
                           context={"exhibitors": await exhibitor_choices(event)},
                           schema=AccountForm, initial={"role": AccountRole.DOOR}, save=save, done=SECTION)


async def account_active(request: Request) -> Response:
    event = await current_event(request)
    form = await read_form(request)
    principal = request.state.principal
    back = str(form.get("back", ""))
    back = back if BACK.match(back) else SECTION
    try:
        account = await set_active(event, path_id(request), form.get("active") == "1", actor=principal.label,
                                   actor_account_id=principal.account_id)
    except Refusal as exc:
        for message in problems(request, exc).values():
            flash(request, message, "error")
        return await redirect(request, back)
    flash(request, "'{name}' kan logge ind igen" if account.is_active else "'{name}' kan ikke længere logge ind",
          name=account.username)
    return await redirect(request, back)


async def _account_or_404(request: Request) -> Account:
    account = await Account.get_or_none(id=path_id(request), event=await current_event(request))
    if account is None:
        raise ApiError(404, "Kontoen findes ikke")
    return account


async def account_sessions_end(request: Request) -> Response:
    """Sign the account out on every device (a lost phone, a shared password)."""
    event = await current_event(request)
    await read_form(request)
    account = await _account_or_404(request)
    await end_sessions(event, account, actor=request.state.principal.label)
    flash(request, "'{name}' er logget ud på alle enheder", name=account.username)
    return await redirect(request, SECTION)


async def account_password(request: Request) -> Response:
    event = await current_event(request)
    account = await _account_or_404(request)
    errors = {}
    if request.method == "POST":
        values, errors = validate(request, PasswordForm, form_values(await read_form(request), PasswordForm))
        if values is not None:
            await set_password(event, account.id, values.password, actor=request.state.principal.label)
            flash(request, "Ny adgangskode til '{name}' er gemt", name=account.username)
            return await redirect(request, SECTION)
    return await page(request, "admin/account_password.html", SECTION, {"account": account, "errors": errors},
                      status_code=422 if errors else 200)


routes = [
    Route("/accounts", account_list, methods=["GET"]),
    Route("/accounts/new", account_new, methods=["GET", "POST"]),
    Route("/accounts/{id:int}/active", account_active, methods=["POST"]),
    Route("/accounts/{id:int}/password", account_password, methods=["GET", "POST"]),
    Route("/accounts/{id:int}/sessions/end", account_sessions_end, methods=["POST"]),
]
