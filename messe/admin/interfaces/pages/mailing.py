"""E-mailing personal links: to one attendee, or to everyone a search finds (after a
confirmation page that says how many)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.interfaces.forms import form_values, validate
from messe.admin.interfaces.pages.attendees import SECTION, search_terms
from messe.admin.interfaces.schemas import MailForm
from messe.admin.interfaces.view import flash, page, redirect
from messe.people.domain.attendee_search import attendee_query
from messe.people.domain.mailing import MailError, mail_personal_links
from messe.people.interfaces.lookup import attendee_or_404
from messe.people.models import Attendee
from messe.web.context import current_event
from messe.web.errors import ApiError
from messe.web.forms import read_form

SHOWN = 10  # refused addresses named in the notice (it lives in the session cookie)


async def _send(request: Request, attendees: list[Attendee], language: str | None) -> None:
    """Send and leave a notice saying what happened."""
    settings = request.app.state.settings
    if not settings.smtp_url:
        raise ApiError(409, "Der er ingen mailserver sat op (MESSE_SMTP_URL)")
    try:
        result = await mail_personal_links(await current_event(request), attendees, smtp_url=settings.smtp_url,
                                           sender=settings.mail_from, base_url=settings.base_url,
                                           language=language, actor=request.state.principal.label)
    except MailError as exc:
        flash(request, "Der blev ikke sendt noget: {reason}", "error", reason=str(exc))
        return
    flash(request, "Personligt link sendt til {count} deltager", plural="Personligt link sendt til {count} deltagere",
          count=len(result.sent))
    if result.refused:
        flash(request, "Mailserveren afviste {count}: {names}", "error", count=len(result.refused),
              names=", ".join(a.email for a in result.refused[:SHOWN]) + (" …" if len(result.refused) > SHOWN else ""))
    if result.unsent:
        flash(request, "Forbindelsen til mailserveren blev afbrudt; {count} fik ingen mail og beholder sit gamle link",
              "error", plural="Forbindelsen til mailserveren blev afbrudt; {count} fik ingen mail og beholder deres "
              "gamle link", count=len(result.unsent))


async def _language(request: Request) -> str | None:
    """The language the organiser chose for the mails; None for each attendee's own."""
    form, _ = validate(request, MailForm, form_values(await read_form(request), MailForm))
    if form is None:
        raise ApiError(422, "Vælg dansk eller engelsk")
    return form.language or None


async def mail_one(request: Request) -> Response:
    language = await _language(request)
    attendee = await attendee_or_404(request)
    if not attendee.email:
        raise ApiError(422, "Deltageren har ingen e-mailadresse")
    await _send(request, [attendee], language)
    return await redirect(request, f"{SECTION}/{attendee.id}")


async def mail_many(request: Request) -> Response:
    event = await current_event(request)
    text, role = search_terms(request)
    recipients = await attendee_query(event, text, role).filter(email__not="")
    if request.method == "POST":
        language = await _language(request)
        await _send(request, recipients, language)
        return await redirect(request, SECTION)
    return await page(request, "admin/mail_links.html", SECTION, {
        "count": len(recipients), "q": text, "role": role, "mail_ready": bool(request.app.state.settings.smtp_url),
        "without_email": await attendee_query(event, text, role).filter(email="").count()})


routes = [
    Route("/attendees/mail", mail_many, methods=["GET", "POST"]),
    Route("/attendees/{id:int}/mail", mail_one, methods=["POST"]),
]
