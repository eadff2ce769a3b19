"""Shared by the security tests: every kind of caller of the in-process app, the app's routes, and
a real server with an organiser API token."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from starlette.routing import BaseRoute, Mount, Route
from tortoise import Tortoise

from messe.expo.models import Exhibitor
from messe.people.domain.accounts import issue_personal_link_token
from messe.people.models import Attendee
from tests.conftest import bearer, make_token
from tests.live.conftest import postgres_installation, sqlite_installation  # noqa: F401 (fixtures for the faults)
from tests.support.live_server import LiveServer, personal_link_token, start_live_server

EVENT = "/messe13"
# Which caller of ``callers`` plays each role an API operation names.
ROLE_CALLER = {"organiser": "organiser", "exhibitor": "exhibitor_a", "door": "door", "attendee": "attendee"}


@dataclass
class FuzzServer:
    server: LiveServer
    organiser_token: str

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def url(self, path: str) -> str:
        return self.server.url(path)

    def token(self, role: str) -> str:
        """An API token of ``role``: organiser, exhibitor (one exhibitor's staff) or door."""
        return {"organiser": self.organiser_token, "exhibitor": self.server.exhibitor_tokens[0],
                "door": self.server.door_tokens[0]}[role]

    def attendee_headers(self) -> dict[str, str]:
        """The session cookie and CSRF token of the first attendee, signed in by their personal link."""
        with httpx.Client(base_url=self.base_url, timeout=30) as client:
            client.get(f"{EVENT}/link/{personal_link_token(self.server)}")
            page = client.get(f"{EVENT}/exhibitors")
            csrf = re.search(r'name="csrf[-_]token" (?:content|value)="([^"]+)"', page.text).group(1)
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        return {"Cookie": cookie, "X-CSRF-Token": csrf}


@pytest.fixture(scope="session")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzServer]:
    server = start_live_server(tmp_path_factory.mktemp("fuzz"), exhibitor_tokens=1, door_tokens=1)
    env = {**os.environ, "MESSE_DATABASE_URL": server.database_url, "MESSE_SECRET_KEY": server.secret_key}
    token = subprocess.run([sys.executable, "-m", "messe", "token", "create", "--role", "organiser"],
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    try:
        yield FuzzServer(server, token)
    finally:
        server.stop()


def http_routes(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(path, method) of every HTTP route of the app, static files aside."""
    for route in routes:
        if isinstance(route, Mount):
            if route.path not in ("/static", "/vendor"):
                yield from http_routes(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield prefix + route.path, method


@pytest.fixture
async def callers(client: httpx.AsyncClient, fair) -> dict[str, dict[str, str]]:
    """Request headers per kind of caller: bearer tokens for the staff (exhibitor A's and B's,
    door, organiser), and for the attendees and the anonymous visitor a session cookie with its
    CSRF token, so that a refusal is about who they are, not a missing token."""
    first, second = await Exhibitor.filter(event=fair).order_by("stand").limit(2)
    one, two = await Attendee.filter(event=fair).order_by("id").limit(2)
    headers: dict[str, dict[str, str]] = {
        "exhibitor_a": bearer(await make_token(fair, "exhibitor", first)),
        "exhibitor_b": bearer(await make_token(fair, "exhibitor", second)),
        "door": bearer(await make_token(fair, "door")),
        "organiser": bearer(await make_token(fair, "organiser")),
    }
    for name, attendee in (("attendee", one), ("other_attendee", two), ("anonymous", None)):
        client.cookies.clear()
        if attendee is not None:
            await client.get(f"{EVENT}/link/{await issue_personal_link_token(attendee)}")
        # An anonymous visitor's pages carry no token (nothing to protect); its sign-in form does.
        page = await client.get(f"{EVENT}/exhibitors" if attendee else f"{EVENT}/login")
        csrf = re.search(r'name="csrf[-_]token" (?:content|value)="([^"]+)"', page.text).group(1)
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        headers[name] = {"Cookie": cookie, "X-CSRF-Token": csrf}
    client.cookies.clear()
    return headers


async def row_counts() -> dict[str, int]:
    """How many rows every table holds: equal before and after means nothing was written."""
    return {name: await model.all().count() for name, model in Tortoise.apps["models"].items()}
