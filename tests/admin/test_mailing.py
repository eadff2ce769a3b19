"""Personal links e-mailed through a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import re
from collections.abc import Iterator

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from messe.people.domain.mailing import MailError, smtp_server
from messe.people.models import Attendee
from tests.admin.conftest import csrf_of
from tests.support.live_server import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope: Envelope, address: str, options) -> str:
        if address in self.refuse:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, str]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


@pytest.fixture
def mail_configured(app, inbox) -> Iterator[Inbox]:
    settings = app.state.settings
    app.state.settings = dataclasses.replace(settings, smtp_url=inbox[1])
    try:
        yield inbox[0]
    finally:
        app.state.settings = settings


def _link(message: email.message.EmailMessage) -> str:
    return re.search(r"http://testserver(/messe13/link/\S+)", message.get_content()).group(1)


async def test_one_attendee_gets_a_danish_mail_with_a_working_link(organiser, fair, mail_configured):
    attendee = await Attendee.filter(event=fair).exclude(email="").first()
    page = await organiser.get(f"/messe13/admin/attendees/{attendee.id}")
    response = await organiser.post(f"/messe13/admin/attendees/{attendee.id}/mail",
                                    data={"csrf_token": csrf_of(page.text), "language": "da"})
    assert response.status_code == 303
    assert "Personligt link sendt til 1 deltager<" in (await organiser.get(response.headers["location"])).text
    [message] = mail_configured.messages
    assert message["To"].addresses[0].addr_spec == attendee.email
    assert message["Subject"] == "Dit personlige link til Digitaliseringsmessen 13"
    assert message["Content-Language"] == "da" and f"Kære {attendee.name}" in message.get_content()
    async with httpx.AsyncClient(transport=organiser._transport, base_url="http://testserver") as phone:
        signed_in = await phone.get(_link(message))
        assert signed_in.status_code == 303
        assert attendee.name in (await phone.get("/messe13/login")).text


async def test_english_mails_to_everyone_a_search_finds_and_a_refused_address(organiser, fair, mail_configured):
    speakers = await Attendee.filter(event=fair, role="deltager").exclude(email="").order_by("id")
    assert len(speakers) >= 2
    mail_configured.refuse.add(speakers[0].email)
    page = await organiser.get("/messe13/admin/attendees/mail?role=deltager")
    assert f"{len(speakers)} deltagere får en mail" in page.text
    response = await organiser.post("/messe13/admin/attendees/mail?role=deltager",
                                    data={"csrf_token": csrf_of(page.text), "language": "en"})
    assert response.status_code == 303
    notices = (await organiser.get(response.headers["location"])).text
    assert f"Personligt link sendt til {len(speakers) - 1} deltagere" in notices
    assert f"Mailserveren afviste 1: {speakers[0].email}" in notices
    assert len(mail_configured.messages) == len(speakers) - 1
    message = mail_configured.messages[0]
    assert message["Subject"] == "Your personal link to Digitaliseringsmessen 13"
    assert message.get_content().startswith("Dear ")
    refused = await Attendee.get(id=speakers[0].id)
    assert refused.login_token_hash == speakers[0].login_token_hash  # no mail, so the old link still works


async def test_no_mail_server_configured(organiser, fair):
    attendee = await Attendee.filter(event=fair).exclude(email="").first()
    page = await organiser.get(f"/messe13/admin/attendees/{attendee.id}")
    assert "ingen mailserver sat op" in page.text
    response = await organiser.post(f"/messe13/admin/attendees/{attendee.id}/mail",
                                    data={"csrf_token": csrf_of(page.text), "language": "da"})
    assert response.status_code == 409


async def test_unreachable_server_sends_nothing_and_revokes_nothing(organiser, fair, app):
    attendee = await Attendee.filter(event=fair).exclude(email="").first()
    settings = app.state.settings
    app.state.settings = dataclasses.replace(settings, smtp_url=f"smtp://127.0.0.1:{free_port()}")
    try:
        page = await organiser.get(f"/messe13/admin/attendees/{attendee.id}")
        response = await organiser.post(f"/messe13/admin/attendees/{attendee.id}/mail",
                                        data={"csrf_token": csrf_of(page.text), "language": "da"})
    finally:
        app.state.settings = settings
    assert "Der blev ikke sendt noget" in (await organiser.get(response.headers["location"])).text
    assert (await Attendee.get(id=attendee.id)).login_token_hash == attendee.login_token_hash


def test_smtp_urls():
    assert smtp_server("smtp://127.0.0.1:8025") == smtp_server("smtp://127.0.0.1:8025")
    server = smtp_server("smtps://m%40il:hemmelig@mail.example.dk")
    assert (server.host, server.port, server.security, server.username, server.password) == (
        "mail.example.dk", 465, "tls", "m@il", "hemmelig")
    assert smtp_server("smtp+starttls://mail.example.dk").port == 587
    with pytest.raises(MailError):
        smtp_server("http://mail.example.dk")


async def test_each_attendee_gets_the_mail_in_their_own_language(organiser, fair, mail_configured):
    readers = await Attendee.filter(event=fair, role="deltager").exclude(email="").order_by("id")
    english = {a.email for a in readers[::3]}
    await Attendee.filter(email__in=list(english)).update(language="en")
    page = await organiser.get("/messe13/admin/attendees/mail?role=deltager")
    assert '<option value="">Hver deltagers eget sprog</option>' in page.text
    response = await organiser.post("/messe13/admin/attendees/mail?role=deltager",
                                    data={"csrf_token": csrf_of(page.text), "language": ""})
    assert response.status_code == 303
    subjects = {m["To"].addresses[0].addr_spec: (m["Subject"], m["Content-Language"])
                for m in mail_configured.messages}
    assert len(subjects) == len(readers)
    assert {a: s for a, s in subjects.items() if a in english} == dict.fromkeys(
        english, ("Your personal link to Digitaliseringsmessen 13", "en"))
    assert {s for a, s in subjects.items() if a not in english} == {
        ("Dit personlige link til Digitaliseringsmessen 13", "da")}
    # On an attendee's own page the mail form starts at their language.
    page = await organiser.get(f"/messe13/admin/attendees/{readers[0].id}")
    assert '<option value="en" lang="en" selected>English</option>' in page.text
