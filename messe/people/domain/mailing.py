"""E-mailing attendees their personal sign-in links through SMTP.

``MESSE_SMTP_URL`` names the server: ``smtp://HOST:PORT`` (plain, e.g. a local relay),
``smtp+starttls://USER:PASSWORD@HOST:587`` or ``smtps://USER:PASSWORD@HOST:465``. A batch of
mails goes over one connection, in a worker thread (the standard library's smtplib blocks).
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit

from messe.common.audit import record
from messe.common.models import Event
from messe.common.unit_of_work import unit_of_work
from messe.people.domain.secrets import new_token, token_hash
from messe.people.models import Attendee

SCHEMES = {"smtp": (25, "plain"), "smtp+starttls": (587, "starttls"), "smtps": (465, "tls")}
TIMEOUT = 30

PERSONAL_LINK = {
    "da": (
        "Dit personlige link til {event}",
        "Kære {name}\n\n"
        "Her er dit personlige link til {event}. Åbn det på din telefon, så kan du se programmet, "
        "stjernemarkere foredrag i din egen plan og få besked med det samme, hvis et af dem flytter:\n\n"
        "{link}\n\n"
        "Linket logger dig ind uden adgangskode, så del det ikke med andre. Et nyt link gør dette "
        "ugyldigt.\n\n"
        "Venlig hilsen\n{event}\n",
    ),
    "en": (
        "Your personal link to {event}",
        "Dear {name}\n\n"
        "Here is your personal link to {event}. Open it on your phone to see the programme, star talks "
        "into your own schedule and hear at once when one of them moves:\n\n"
        "{link}\n\n"
        "The link signs you in without a password, so please do not share it. A new link makes this one "
        "stop working.\n\n"
        "Kind regards\n{event}\n",
    ),
}


class MailError(Exception):
    """Mail cannot be sent at all; the message says why, for a person to read."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    security: str  # "plain", "starttls" or "tls"
    username: str = ""
    password: str = field(default="", repr=False)


@dataclass
class SendReport:
    """Positions (in the list handed to :func:`send_mails`) of the mails sent and refused."""

    sent: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class LinkMailing:
    sent: list[Attendee]
    refused: list[Attendee]
    unsent: list[Attendee]


def smtp_server(url: str) -> SmtpServer:
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise MailError(f"MESSE_SMTP_URL skal ligne smtp://HOST:PORT, smtp+starttls://… eller smtps://…, "
                        f"ikke {parts.scheme or url!r}")
    default_port, security = SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise MailError("MESSE_SMTP_URL har et ugyldigt portnummer") from None
    return SmtpServer(parts.hostname, port, security, unquote(parts.username or ""),
                      unquote(parts.password or ""))


def personal_link_mail(*, sender: str, event_name: str, name: str, email: str, link: str,
                       language: str) -> EmailMessage:
    subject, body = PERSONAL_LINK.get(language, PERSONAL_LINK["da"])
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((name, email))
    message["Subject"] = subject.format(event=event_name)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message.set_content(body.format(event=event_name, name=name, link=link))
    message["Content-Language"] = language if language in PERSONAL_LINK else "da"  # after set_content, which clears it
    return message


def _send(server: SmtpServer, messages: list[EmailMessage]) -> SendReport:
    report = SendReport()
    context = ssl.create_default_context()
    try:
        if server.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
        with smtp:
            if server.security == "starttls":
                smtp.starttls(context=context)
            if server.username:
                smtp.login(server.username, server.password)
            for index, message in enumerate(messages):
                try:
                    smtp.send_message(message)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError):
                    report.refused.append(index)
                else:
                    report.sent.append(index)
    except (OSError, smtplib.SMTPException) as exc:
        if not report.sent and not report.refused:
            raise MailError(f"Kan ikke sende via mailserveren {server.host}:{server.port}: {exc}") from exc
        # The connection broke in the middle: what was not sent is left for the caller to retry.
    return report


async def send_mails(smtp_url: str, messages: list[EmailMessage]) -> SendReport:
    """Send ``messages`` over one SMTP connection; which recipients were accepted and which refused.

    Raises :class:`MailError` when nothing can be sent (bad URL, server unreachable, login refused).
    """
    server = smtp_server(smtp_url)
    return await asyncio.to_thread(_send, server, messages)


async def mail_personal_links(event: Event, attendees: list[Attendee], *, smtp_url: str, sender: str,
                              base_url: str, language: str | None, actor: str, requested: bool = False) -> LinkMailing:
    """E-mail each attendee (who has an address) a new personal link, in ``language`` or, when it
    is None, in each attendee's own.

    An attendee's new link is stored only once the server has accepted the mail, so nobody is
    left with a revoked link and no mail. A link the attendee ``requested`` themselves leaves the
    current one working until it is opened. Raises :class:`MailError` when nothing can be sent.
    """
    recipients = [a for a in attendees if a.email]
    if not recipients:
        return LinkMailing(sent=[], refused=[], unsent=[])
    tokens = [new_token() for _ in recipients]
    messages = [personal_link_mail(sender=sender, event_name=event.name, name=a.name, email=a.email,
                                   link=f"{base_url}/{event.slug}/link/{token}", language=language or a.language)
                for a, token in zip(recipients, tokens, strict=True)]
    report = await send_mails(smtp_url, messages)
    async with unit_of_work():
        for index in report.sent:
            column = "pending_token_hash" if requested else "login_token_hash"
            await Attendee.filter(id=recipients[index].id).update(**{column: token_hash(tokens[index])})
        await record(event, actor, "links.mailed", recipients[0] if len(recipients) == 1 else None,
                     sent=len(report.sent), refused=len(report.refused), language=language or "own")
    done = set(report.sent) | set(report.refused)
    return LinkMailing(sent=[recipients[i] for i in report.sent], refused=[recipients[i] for i in report.refused],
                       unsent=[a for i, a in enumerate(recipients) if i not in done])
