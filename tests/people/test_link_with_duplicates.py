"""``/<event>/link`` answers every e-mail address without a server error, also when a database from
before walk-ins were checked holds one address for two people (inserted here directly)."""

from __future__ import annotations

import re

import pytest

from messe.people.models import Attendee
from tests.people.test_link_request import inbox  # noqa: F401 (fixture)


async def _csrf(client) -> str:
    page = await client.get("/messe13/link")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


@pytest.fixture
async def twice_registered(fair) -> tuple[Attendee, Attendee]:
    first = await Attendee.create(event=fair, name="Åse Ødegård", email="aase@aeroe.dk")
    walk_in = await Attendee.create(event=fair, name="Åse Ødegård", email="Aase@Aeroe.dk")
    return first, walk_in


async def test_a_twice_registered_address_gets_one_link_for_the_first_registration(app, client, twice_registered,
                                                                                   inbox):  # noqa: F811
    first, walk_in = twice_registered
    answer = await client.post("/messe13/link", data={"email": "AASE@aeroe.dk", "csrf_token": await _csrf(client)})
    assert answer.status_code == 200 and "har vi nu sendt dig" in answer.text
    await app.state.link_requests.drained()  # the mail goes out after the answer
    assert len(inbox.messages) == 1 and inbox.messages[0]["To"].endswith("<aase@aeroe.dk>")
    link = re.search(r"http://testserver(/messe13/link/\S+)", inbox.messages[0].get_payload(decode=True).decode())
    assert (await client.get(link.group(1))).status_code == 303
    assert (await Attendee.get(id=first.id)).login_token_hash is not None
    assert (await Attendee.get(id=walk_in.id)).login_token_hash is None


@pytest.mark.parametrize("address", ["aase@aeroe.dk", "", " ", "x" * 300, "ikke en adresse", "ÆØÅ@æøå.dk",
                                     "'; DROP TABLE attendee; --", "%", "_", "a\u0301@b.dk"])
async def test_any_address_is_answered_without_a_server_error(client, twice_registered, address):
    answer = await client.post("/messe13/link", data={"email": address, "csrf_token": await _csrf(client)})
    assert answer.status_code == 200, answer.text
