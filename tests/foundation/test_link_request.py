"""Attendees ask for their personal link by e-mail; a real SMTP server on loopback receives it."""

from __future__ import annotations

import dataclasses
import email
import re

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from messe.people.models import Attendee
from tests.support.live_server import free_port


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[email.message.Message] = []

    def handle_message(self, message: email.message.Message) -> None:
        self.messages.append(message)


@pytest.fixture
def inbox(app):
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    original = app.state.settings
    app.state.settings = dataclasses.replace(original, smtp_url=f"smtp://127.0.0.1:{port}")
    yield handler
    app.state.settings = original
    controller.stop()


async def _csrf(client) -> str:
    page = await client.get("/messe13/link")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


async def test_link_is_mailed_and_signs_in(client, fair, inbox):
    attendee = await Attendee.filter(event=fair).exclude(email="").first()
    response = await client.post("/messe13/link", data={"email": attendee.email.upper(),
                                                        "csrf_token": await _csrf(client)})
    assert response.status_code == 200 and "har vi nu sendt dig" in response.text
    assert len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert mail["To"].endswith(f"<{attendee.email}>")
    body = mail.get_payload(decode=True).decode()
    link = re.search(r"http://testserver(/messe13/link/\S+)", body).group(1)
    assert (await client.get(link)).status_code == 303


async def test_unknown_address_gets_the_same_answer_and_no_mail(client, fair, inbox):
    response = await client.post("/messe13/link", data={"email": "ukendt@example.dk",
                                                        "csrf_token": await _csrf(client)})
    assert response.status_code == 200 and "har vi nu sendt dig" in response.text
    assert inbox.messages == []


async def test_link_requests_are_rate_limited(client, fair, inbox):
    token = await _csrf(client)
    statuses = [(await client.post("/messe13/link", data={"email": "a@b.dk", "csrf_token": token})).status_code
                for _ in range(6)]
    assert statuses == [200] * 5 + [429]
