"""Attendees ask for their personal link by e-mail; a real SMTP server on loopback receives it."""

from __future__ import annotations

import asyncio
import dataclasses
import email
import re
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from messe.people.domain.accounts import issue_personal_link_token
from messe.people.models import Attendee
from tests.support.live_server import free_port


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[email.message.Message] = []
        self.delay = 0.0  # how long the server takes to accept a mail

    async def handle_DATA(self, server, session, envelope) -> str:
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)

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


async def test_link_is_mailed_and_signs_in(app, client, fair, inbox):
    attendee = await Attendee.filter(event=fair).exclude(email="").first()
    response = await client.post("/messe13/link", data={"email": attendee.email.upper(),
                                                        "csrf_token": await _csrf(client)})
    assert response.status_code == 200 and "har vi nu sendt dig" in response.text
    await app.state.link_requests.drained()
    assert len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert mail["To"].endswith(f"<{attendee.email}>")
    body = mail.get_payload(decode=True).decode()
    link = re.search(r"http://testserver(/messe13/link/\S+)", body).group(1)
    assert (await client.get(link)).status_code == 303


async def test_unknown_address_gets_the_same_answer_and_no_mail(app, client, fair, inbox):
    response = await client.post("/messe13/link", data={"email": "ukendt@example.dk",
                                                        "csrf_token": await _csrf(client)})
    assert response.status_code == 200 and "har vi nu sendt dig" in response.text
    await app.state.link_requests.drained()
    assert inbox.messages == []


async def test_link_requests_are_rate_limited(client, fair, inbox):
    token = await _csrf(client)
    statuses = [(await client.post("/messe13/link", data={"email": "a@b.dk", "csrf_token": token})).status_code
                for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def _link_in(mail: email.message.Message) -> str:
    return re.search(r"http://testserver(/messe13/link/\S+)", mail.get_payload(decode=True).decode()).group(1)


async def test_known_and_unknown_addresses_are_answered_alike_before_any_mail(app, client, fair, inbox):
    """The answer never waits for the mail server, so its timing says nothing about who is registered."""
    inbox.delay = 1.0
    attendee = await Attendee.filter(event=fair).exclude(email="").first()
    answers = {}
    for address in (attendee.email, "ukendt@example.dk"):
        started = time.monotonic()
        response = await client.post("/messe13/link", data={"email": address, "csrf_token": await _csrf(client)})
        answers[address] = (time.monotonic() - started, response.status_code,
                            re.sub(r'name="csrf_token" value="[^"]+"', "", response.text))
    (known_time, *known), (unknown_time, *unknown) = answers.values()
    assert known == unknown, "the same page for a registered and an unknown address"
    assert known_time < 0.5 and unknown_time < 0.5, answers
    await app.state.link_requests.drained()
    assert [mail["To"] for mail in inbox.messages] == [f"{attendee.name} <{attendee.email}>"]


async def test_a_requested_link_revokes_the_old_one_only_when_it_is_opened(app, client, fair, inbox):
    attendee = await Attendee.filter(event=fair).exclude(email="").first()
    old = f"/messe13/link/{await issue_personal_link_token(attendee)}"
    await client.post("/messe13/link", data={"email": attendee.email, "csrf_token": await _csrf(client)})
    await app.state.link_requests.drained()
    assert (await client.get(old)).status_code == 303, "someone else asking does not cut the attendee off"
    new = _link_in(inbox.messages[-1])
    assert (await client.get(new)).status_code == 303
    assert (await client.get(old)).status_code == 404
    assert (await client.get(new)).status_code == 303
