"""Programme test fixtures on top of tests/conftest.py: the live hub, and the organiser's API."""

from __future__ import annotations

import httpx
import pytest

from messe.live.hub import Hub
from tests.conftest import bearer

EVENT = "/messe13"


@pytest.fixture
def hub(app) -> Hub:
    """The application's live hub, started by its lifespan."""
    return app.state.hub


@pytest.fixture
async def api(client: httpx.AsyncClient, organiser_token: str, hub: Hub) -> httpx.AsyncClient:
    """The test client, signed in as an organiser with a bearer token."""
    client.headers.update(bearer(organiser_token))
    return client


async def last_seq(client: httpx.AsyncClient) -> int:
    return (await client.get(f"{EVENT}/api/changes", params={"limit": 1})).json()["last_seq"]


async def changes_since(client: httpx.AsyncClient, since: int) -> list[dict]:
    return (await client.get(f"{EVENT}/api/changes", params={"since": since})).json()["items"]
