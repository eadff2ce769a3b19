"""Fixtures for the door desk tests: people with names a desk must find, staff of both kinds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from messe.people.domain.attendees import create_attendee
from messe.people.models import Attendee
from tests.admin.conftest import chromium, organiser  # noqa: F401 (fixtures)
from tests.conftest import make_token
from tests.scanning.conftest import door_token, staff_tokens, stands, visitors  # noqa: F401 (fixtures)
from tests.support.live_server import LiveServer, start_live_server


@pytest.fixture
async def desk_people(fair) -> dict[str, Attendee]:
    """People whose names need folding to be found, by a short key."""
    people = {
        "aase": ("Åse Ødegård-Nguyễn", "Ærø Kommune", "aase@aeroe.dk"),
        "dmitri": ("Дмитрий Иванов", "Ambassade", "dmitri@example.org"),
        "wang": ("王伟", "Digitaliseringsstyrelsen", "wang@digst.dk"),
        "lukasz": ("Łukasz Żółć", "Region Syddanmark", "lukasz@rsyd.dk"),
    }
    made = {}
    for key, (name, organisation, email) in people.items():
        attendee = await create_attendee(fair, name=name, organisation=organisation, email=email, phone="12345678")
        await attendee.fetch_related("organisation")
        made[key] = attendee
    return made


@pytest.fixture
async def second_door_token(fair) -> str:
    return await make_token(fair, "door")


@pytest.fixture(scope="session")
def desk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The whole app in a uvicorn subprocess on a seeded SQLite fair, for the desk's browser tests."""
    with start_live_server(tmp_path_factory.mktemp("desk-live"), attendees=40, door_tokens=1) as server:
        yield server
