"""Fixtures for the scanning tests: signed badges, staff tokens, and a real server for browsers.

``live_server`` (session scope) is reusable by any browser test: a uvicorn subprocess serving a
freshly migrated and seeded SQLite fair, with a password account per role.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from messe.badges.domain.tokens import derive_private_key, sign_badge
from messe.expo.models import Exhibitor
from messe.people.models import Attendee
from tests.conftest import TEST_SECRET, in_ci, make_token
from tests.scanning.fake_camera import write_y4m
from tests.support.live_server import LiveServer, start_live_server

CHROMIUM = Path("/usr/bin/chromium")
FAKE_UI = "--use-fake-ui-for-media-stream"  # answers the camera prompt with yes
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--use-fake-device-for-media-stream", FAKE_UI]
PHONE = {"viewport": {"width": 412, "height": 915}, "is_mobile": True, "has_touch": True, "locale": "da-DK"}


def badge_payload(attendee: Attendee, *, version: int | None = None, secret: str = TEST_SECRET,
                  slug: str = "messe13", name: str | None = None) -> str:
    """The QR text of ``attendee``'s badge (organisation fetched), signed as the server would."""
    organisation = attendee.organisation.name if attendee.organisation else ""
    return sign_badge(derive_private_key(secret, slug), attendee.id,
                      attendee.badge_version if version is None else version, slug,
                      attendee.name if name is None else name, organisation)


@pytest.fixture
async def visitors(fair) -> list[Attendee]:
    return await Attendee.filter(event=fair).select_related("organisation").order_by("id").limit(10)


@pytest.fixture
async def stands(fair) -> tuple[Exhibitor, Exhibitor]:
    """Two exhibitors, A and B."""
    first, second = await Exhibitor.filter(event=fair).order_by("stand").limit(2)
    return first, second


@pytest.fixture
async def staff_tokens(fair, stands) -> tuple[str, str]:
    """Bearer tokens for exhibitor A's and exhibitor B's staff."""
    return await make_token(fair, "exhibitor", stands[0]), await make_token(fair, "exhibitor", stands[1])


@pytest.fixture
async def door_token(fair) -> str:
    return await make_token(fair, "door")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The whole app in a uvicorn subprocess on a seeded SQLite fair (see live_server.py)."""
    with start_live_server(tmp_path_factory.mktemp("live"), exhibitor_tokens=2, door_tokens=1) as server:
        yield server


@pytest.fixture
async def phone(tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable]]:
    """Open a phone-sized Chromium context whose rear camera films QR codes with the given texts
    (each for half a second in turn, looping), or, with ``camera_allowed=False``, whose user has
    refused the page the camera.

    One browser per camera picture (Chromium reads the fake video file at launch). Returns
    Playwright's async BrowserContext; everything is closed after the test."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browsers = []

        async def open_phone(*qr_texts: str, camera_allowed: bool = True):
            video = write_y4m(tmp_path / f"camera-{len(browsers)}.y4m", *qr_texts)
            flags = CHROMIUM_FLAGS if camera_allowed else [f for f in CHROMIUM_FLAGS if f != FAKE_UI]
            browser = await playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=[*flags, f"--use-file-for-fake-video-capture={video}"])
            browsers.append(browser)
            return await browser.new_context(permissions=["camera"] if camera_allowed else [], **PHONE)

        yield open_phone
        for browser in browsers:
            await browser.close()
