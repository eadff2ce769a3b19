"""Fixtures for the admin tests: a signed-in organiser's client, and a real server for browsers."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from messe.badges.domain import badge_jobs
from messe.badges.domain.badge_jobs import JobStore
from messe.people.domain.accounts import create_account
from tests.conftest import ROOT, in_ci
from tests.support.live_server import LiveServer, start_live_server

PASSWORD = "korrekt-hest-batteri"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    return CSRF.search(html).group(1)


async def submit(client: httpx.AsyncClient, path: str, data: dict[str, str]) -> httpx.Response:
    """POST a form to ``/messe13/admin/{path}`` with the session's CSRF token."""
    token = csrf_of((await client.get("/messe13/login")).text)
    return await client.post(f"/messe13/admin/{path}", data={"csrf_token": token, **data})


async def sign_in(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> None:
    token = csrf_of((await client.get("/messe13/login")).text)
    response = await client.post("/messe13/login", data={"username": username, "password": password,
                                                         "csrf_token": token})
    assert response.status_code == 303, response.text


@pytest.fixture
async def organiser(client: httpx.AsyncClient, fair) -> httpx.AsyncClient:
    """``client``, signed in as the organiser Anne."""
    await create_account(fair, "anne", PASSWORD, "organiser", name="Anne Ærø")
    await sign_in(client, "anne")
    return client


@pytest.fixture
def jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> JobStore:
    """Badge jobs of the in-process app go to a temporary folder instead of badges/out/jobs."""
    store = JobStore(tmp_path / "jobs")
    monkeypatch.setattr(badge_jobs, "JOBS", store)
    return store


@pytest.fixture(scope="session")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app in a uvicorn subprocess with all 2,000 seeded attendees; organiser 'arrangoer'."""
    with start_live_server(tmp_path_factory.mktemp("admin-live"), attendees=None) as server:
        yield server


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator:
    """One headless Chromium for the admin browser tests (Debian's, never a downloaded one)."""
    for needed, fix in ((CHROMIUM, "apt-get install -y --no-install-recommends chromium"), (AXE, "npm ci")):
        if not needed.exists():
            message = f"{needed} is missing: {fix}"
            if in_ci():
                pytest.fail(message)
            pytest.skip(message)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        await browser.close()


async def sign_in_browser(page, server: LiveServer, username: str = "arrangoer") -> None:
    await page.goto(server.url("login?next=/messe13/admin/"))
    await page.get_by_label("Brugernavn").fill(username)
    await page.get_by_label("Adgangskode").fill(server.password)
    await page.get_by_role("button", name="Log ind").click()
    await page.wait_for_url("**/messe13/admin/")


@pytest.fixture(scope="session")
async def organiser_state(chromium, admin_server: LiveServer) -> dict:
    """The organiser signs in once (sign-ins are rate limited); every admin page starts from that."""
    context = await chromium.new_context()
    await sign_in_browser(await context.new_page(), admin_server)
    state = await context.storage_state()
    await context.close()
    return state


@pytest.fixture
async def admin_page(chromium, admin_server: LiveServer, organiser_state: dict) -> AsyncIterator:
    """A desktop-sized page signed in as the organiser of the live server, on the admin home."""
    context = await chromium.new_context(viewport={"width": 1280, "height": 900}, storage_state=organiser_state)
    page = await context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    await page.goto(admin_server.url("admin/"))
    yield page
    await context.close()
