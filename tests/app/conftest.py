"""Fixtures for the attendee app's browser tests: one real server (tests/support/live_server.py)
with an organiser's API token, phones in Chromium, and the attendees' personal links.

Each test makes its own talks (alone on a stage of their own, tests/live/conftest.py ``new_talk``),
so the tests do not disturb each other on the shared server.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.admin.conftest import chromium  # noqa: F401 (the browser fixture)
from tests.live.conftest import Installation
from tests.support.live_server import LiveServer, start_live_server

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "da-DK"}
NARROW_PHONE = {**PHONE, "viewport": {"width": 320, "height": 640}}
NETWORK_ERRORS = ("Failed to load resource", "WebSocket connection to")


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with start_live_server(tmp_path_factory.mktemp("app-live"), attendees=40) as server:
        yield server


@pytest.fixture(scope="session")
def database(app_server: LiveServer) -> Installation:
    """The server's database, for what only the command line or the domain code can do."""
    return Installation(database_url=app_server.database_url)


@pytest.fixture(scope="session")
def organiser_token(database: Installation) -> str:
    return database.messe("token", "create", "--role", "organiser").split()[-1]


@pytest.fixture
async def api(app_server: LiveServer, organiser_token: str) -> AsyncIterator[httpx.AsyncClient]:
    """The programme API as the organiser (the same client tests/live uses)."""
    async with httpx.AsyncClient(base_url=app_server.url(""), timeout=10,
                                 headers={"Authorization": f"Bearer {organiser_token}"}) as client:
        yield client


def personal_link(server: LiveServer, database: Installation, attendee_index: int = 0) -> str:
    """A new personal sign-in link for one of the server's attendees (the previous one stops working)."""
    attendee_id = server.attendees[attendee_index]["id"]
    token = json.loads(database.python(
        "from messe.people.domain.accounts import issue_personal_link_token\n"
        "from messe.people.models import Attendee\n"
        f"print(__import__('json').dumps(await issue_personal_link_token(await Attendee.get(id={attendee_id}))))"))
    return server.url(f"link/{token}")


@pytest.fixture
async def phone(chromium) -> AsyncIterator:  # noqa: F811
    """A new phone (browser context) per call; each fails the test on a script error or a refusal
    (the CSP's, say). Failed connections are expected: the tests take phones offline."""
    contexts = []

    async def open_phone(**options):
        context = await chromium.new_context(**{**PHONE, **options})
        context.errors = []
        context.on("weberror", lambda error: context.errors.append(str(error.error)))
        context.on("console", lambda message: message.type == "error" and not message.text.startswith(
            NETWORK_ERRORS) and context.errors.append(message.text))
        contexts.append(context)
        return context

    yield open_phone
    for context in contexts:
        assert context.errors == []
        await context.close()
