"""Signing in and out: password login for staff, personal links for attendees."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from messe.people.domain.accounts import attendee_for_link_token, authenticate
from messe.people.domain.link_requests import LinkRequest
from messe.people.domain.sessions import Person, end_every_session, end_session, signed_in
from messe.people.models import Account, AccountRole, Attendee
from messe.web.context import (
    SESSION_ACCOUNT,
    SESSION_ATTENDEE,
    SESSION_EVENT,
    SESSION_GENERATION,
    SESSION_ID,
    current_event,
    current_principal,
    session_claim,
)
from messe.web.csrf import rotate_token
from messe.web.forms import read_form
from messe.web.ratelimit import client_address, enforce
from messe.web.security import forget_on_this_device
from messe.web.templates import LANGUAGE_COOKIE, language_of, remember_language, render, translate

HOME_FOR_ROLE = {
    AccountRole.ORGANISER: "admin/",
    AccountRole.DOOR: "checkin/",
    AccountRole.EXHIBITOR: "leads/",
}


def safe_next(event_slug: str, target: str | None) -> str | None:
    """Only same-site paths inside this event are followed after signing in."""
    if target and target.startswith(f"/{event_slug}/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


async def _start_session(request: Request, event_id: int, person: Person) -> None:
    """Sign ``person`` in on this device: a new session (no fixation) with a new CSRF token."""
    claim = await signed_in(person)
    request.session.clear()
    request.session.update({
        SESSION_EVENT: event_id, SESSION_GENERATION: claim.generation, SESSION_ID: claim.session_id,
        SESSION_ACCOUNT if isinstance(person, Account) else SESSION_ATTENDEE: person.id})
    rotate_token(request)


async def _signed_in_person(request: Request) -> Person | None:
    principal = await current_principal(request)
    if principal.account_id:
        return await Account.get_or_none(id=principal.account_id)
    if principal.attendee_id:
        return await Attendee.get_or_none(id=principal.attendee_id)
    return None


async def login(request: Request) -> Response:
    event = await current_event(request)
    if request.method == "GET":
        return render(request, "people/login.html", {
            "event": event, "next": safe_next(event.slug, request.query_params.get("next")) or "",
            "username": "", "error": None})
    form = await read_form(request)
    username = str(form.get("username", ""))[:120]
    await enforce(request, "login-address", client_address(request))
    await enforce(request, "login", username.casefold())
    account = await authenticate(event, username, str(form.get("password", ""))[:1000])
    if account is None:
        return render(request, "people/login.html", {
            "event": event, "next": safe_next(event.slug, str(form.get("next", ""))) or "", "username": username,
            "error": translate(request, "Forkert brugernavn eller adgangskode.")})
    await _start_session(request, event.id, account)
    target = safe_next(event.slug, str(form.get("next", ""))) or f"/{event.slug}/{HOME_FOR_ROLE[account.role]}"
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    """Sign out on this device: this session ends, even in a copy of its cookie."""
    event = await current_event(request)
    person, claim = await _signed_in_person(request), session_claim(request)
    if person is not None and claim is not None:  # an ended session has nothing left to protect
        await read_form(request)
        await end_session(person, claim)
    return _signed_out(request, event.slug, person)


async def logout_everywhere(request: Request) -> Response:
    """Sign out on every device: every session of this person ends."""
    event = await current_event(request)
    person = await _signed_in_person(request)
    if person is not None:
        await read_form(request)
        await end_every_session(person)
    return _signed_out(request, event.slug, person)


def _signed_out(request: Request, event_slug: str, person: Person | None) -> Response:
    request.session.clear()
    response = RedirectResponse(f"/{event_slug}/", status_code=303)
    return forget_on_this_device(response) if isinstance(person, Attendee) else response


async def personal_link(request: Request) -> Response:
    """An attendee's personal link signs them in on this device and opens their schedule."""
    event = await current_event(request)
    attendee = await attendee_for_link_token(event, request.path_params["token"])
    if attendee is None:
        return render(request, "people/link_invalid.html", {"event": event}, status_code=404)
    await _start_session(request, event.id, attendee)
    response = RedirectResponse(f"/{event.slug}/?welcome=1", status_code=303)
    if LANGUAGE_COOKIE not in request.cookies:  # a language chosen on this device wins
        remember_language(request, response, attendee.language)
    return response


async def request_link(request: Request) -> Response:
    """An attendee asks for their personal link by e-mail. Every request takes the same path and
    gets the same answer whether or not the address is registered (the mail goes out from a
    background queue), so the page cannot be used to find out who is coming."""
    event = await current_event(request)
    settings = request.app.state.settings
    if request.method == "GET":
        return render(request, "people/request_link.html", {"event": event, "sent": False,
                                                             "mail_enabled": bool(settings.smtp_url)})
    form = await read_form(request)
    email = str(form.get("email", "")).strip()[:254]
    await enforce(request, "link-request-address", client_address(request))
    await enforce(request, "link-request", email.casefold())
    if email and settings.smtp_url:
        request.app.state.link_requests.ask(LinkRequest(
            event_id=event.id, email=email, language=language_of(request), smtp_url=settings.smtp_url,
            sender=settings.mail_from, base_url=settings.base_url))
    return render(request, "people/request_link.html", {"event": event, "sent": True,
                                                         "mail_enabled": bool(settings.smtp_url)})


routes = [
    Route("/link", request_link, methods=["GET", "POST"]),
    Route("/login", login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/logout/everywhere", logout_everywhere, methods=["POST"]),
    Route("/link/{token}", personal_link, methods=["GET"]),
]
