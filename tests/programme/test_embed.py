"""The embeddable programme (``/<event>/embed``): the programme by time with no app around it,
which messe itself and the origins in ``MESSE_EMBED_ORIGINS`` may show in a frame (CSP
``frame-ancestors``), while every other page still refuses every frame. Having no scripts, its
time index's "Gå til nu" is the server's."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from messe.app import create_app
from messe.config import ConfigError, Settings
from messe.programme.models import Talk
from messe.seeding import seed
from tests.programme.conftest import EVENT
from tests.web.test_security_headers import directives

ORIGINS = ("https://www.digitaliseringsmessen.dk", "https://*.kommune.dk")
# Pages that must not be framed anywhere, whatever MESSE_EMBED_ORIGINS says.
OTHER_PAGES = [f"{EVENT}/", f"{EVENT}/programme?view=stage", f"{EVENT}/me/schedule", f"{EVENT}/changes",
               f"{EVENT}/exhibitors", f"{EVENT}/login", f"{EVENT}/schedule/export/schedule.ics"]


def ancestors(response: httpx.Response) -> list[str]:
    return directives(response.headers.get("content-security-policy", ""))["frame-ancestors"]


@pytest.fixture
async def embedding_client(app) -> AsyncIterator[httpx.AsyncClient]:
    """The same installation with two sites allowed to frame the programme."""
    served = create_app(dataclasses.replace(app.state.settings, embed_origins=ORIGINS))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=served), base_url="http://testserver") as client:
        yield client


async def test_the_embed_shows_the_programme_without_the_app_around_it(client, fair, hub):
    page = await client.get(f"{EVENT}/embed")
    assert page.status_code == 200
    first = await Talk.filter(event=fair).order_by("starts_at").first()
    assert first.title in html.unescape(page.text)
    assert '<html lang="da">' in page.text and '<base target="_blank">' in page.text
    for chrome in ('class="site-header"', 'class="tab-bar"', 'id="live"', "<script", 'name="csrf-token"'):
        assert chrome not in page.text, chrome
    assert 'class="time-index"' in page.text and 'target="_self"' in page.text  # the index stays in the frame
    english = await client.get(f"{EVENT}/embed", params={"lang": "en"})
    assert '<html lang="en">' in english.text and "Open the programme in the app" in english.text


async def test_without_embed_origins_only_messe_itself_may_frame_it(client, fair, hub):
    page = await client.get(f"{EVENT}/embed")
    assert ancestors(page) == ["'self'"]
    assert "x-frame-options" not in page.headers
    again = await client.get(f"{EVENT}/embed", headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304 and ancestors(again) == ["'self'"]  # a revalidation keeps the policy


async def test_the_embed_origins_may_frame_the_embed_and_nothing_else(embedding_client, fair, hub):
    page = await embedding_client.get(f"{EVENT}/embed")
    assert page.status_code == 200
    assert ancestors(page) == ["'self'", *ORIGINS] and "x-frame-options" not in page.headers
    policy = directives(page.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"] and policy["object-src"] == ["'none'"]  # the rest is the same
    for path in OTHER_PAGES:
        other = await embedding_client.get(path)
        assert other.status_code == 200, path
        assert ancestors(other) == ["'none'"], path
        assert other.headers["x-frame-options"] == "DENY", path


def test_embed_origins_are_read_from_the_environment_and_checked():
    env = {"MESSE_SECRET_KEY": "k" * 40, "MESSE_EMBED_ORIGINS": "https://www.digitaliseringsmessen.dk/, "
                                                               "https://*.kommune.dk http://localhost:8080"}
    assert Settings.from_env(env).embed_origins == (*ORIGINS, "http://localhost:8080")
    assert Settings.from_env({"MESSE_SECRET_KEY": "k" * 40}).embed_origins == ()
    for wrong in ("www.kommune.dk", "https://kommune.dk/intranet", "ftp://kommune.dk", "https://*",
                  "https://kommune.dk;script-src", "https://kommune.dk:0"):
        with pytest.raises(ConfigError, match="MESSE_EMBED_ORIGINS"):
            Settings.from_env({**env, "MESSE_EMBED_ORIGINS": wrong})


def _go_to_now(page: str) -> tuple[bool, str]:
    """Whether the embed's "Gå til nu" shows, and where it leads."""
    item = re.search(r'<li class="time-index__now"( hidden)?><a href="#([\w-]+)"[^>]*>Gå til nu</a>', page)
    assert item, "no Gå til nu"
    return not item.group(1), item.group(2)


async def test_go_to_now_in_the_embed_is_the_servers_on_the_fairs_day_only(client, fair, hub):
    shown, _ = _go_to_now((await client.get(f"{EVENT}/embed")).text)
    assert not shown  # the fair is on another day than the test

    today = datetime.now(ZoneInfo("Europe/Copenhagen")).date()
    await seed(on_date=today, move_date=True)
    page = (await client.get(f"{EVENT}/embed")).text
    shown, anchor = _go_to_now(page)
    assert shown
    starts = [datetime.fromisoformat(s) for s in re.findall(r'<section class="slot" data-starts="([^"]+)"', page)]
    chosen = int(anchor.removeprefix("slot-")) - 1
    now = datetime.now(UTC)
    # the last slot that has started (before the day's first talk, that one)
    assert starts[chosen] <= now or chosen == 0
    assert chosen == len(starts) - 1 or starts[chosen + 1] > now
    assert f'<h2 id="{anchor}">' in page
