"""The time index and "Gå til nu" beyond the programme by time, on a phone (390 px): by stage,
the index sticks while the stages scroll, and an hour or "Gå til nu" leads to the talk at that
time on the stage being read; a search hides the hours it leaves empty. The embed, which has no
scripts, shows the index and the server's "Gå til nu" on the fair's day. axe finds nothing."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import expect

from tests.accessibility import axe_violations
from tests.app.test_browsing import box
from tests.app.test_live_alerts import open_programme
from tests.live.conftest import Installation
from tests.support.live_server import LiveServer, start_live_server

SEARCH = "Søg i titel, beskrivelse, taler, organisation, scene eller spor"


async def _stage_with_two_talks(api) -> tuple[str, dict, dict]:
    """A stage third in the programme (position 1, after Fællesskabsscenen), its name, a morning talk
    and an afternoon talk."""
    name = f"Tidsscenen {uuid.uuid4().hex[:4]}"
    stage = (await api.post("/api/stages", json={"code": f"t{uuid.uuid4().hex[:8]}", "name": name,
                                                 "position": 1})).json()
    talks = []
    for title, start, end in (("Formiddag", "09:30", "09:50"), ("Eftermiddag", "16:05", "16:25")):
        response = await api.post("/api/talks", json={"title": f"{title} på {name}", "stage_id": stage["id"],
                                                      "starts_at": f"2026-11-27T{start}:00+01:00",
                                                      "ends_at": f"2026-11-27T{end}:00+01:00"})
        response.raise_for_status()
        talks.append(response.json())
    return name, talks[0], talks[1]


async def _read_stage(page, name: str) -> None:
    """Scroll so that stage ``name`` is the one being read, its heading at the top."""
    await page.get_by_role("heading", name=name, level=2).evaluate("node => node.scrollIntoView({block: 'start'})")


async def test_by_stage_the_index_leads_to_the_time_on_the_stage_being_read(phone, app_server, api):
    stage, morning, afternoon = await _stage_with_two_talks(api)
    page = await (await phone()).new_page()
    await page.clock.set_fixed_time("2026-11-27T13:08:00+01:00")
    await page.goto(app_server.url("programme?view=stage"))
    await page.locator('#connection[data-connected="true"]').wait_for(state="attached")
    index = page.get_by_role("navigation", name="Tidspunkter")
    await expect(index).to_be_visible()
    assert await page.evaluate("() => document.documentElement.scrollWidth") <= 390

    for hour, talk in (("16", afternoon), ("09", morning)):  # at 09:15 Store Sal has a talk, this stage not yet
        await _read_stage(page, stage)
        link = index.get_by_role("link", name=re.compile(f"^{hour}:"))
        await link.scroll_into_view_if_needed()
        await link.click()
        target = page.locator(f"#talk-{talk['id']}")
        await expect(target).to_be_in_viewport()
        assert page.url.endswith(f"#talk-{talk['id']}")  # this stage's talk, not the first stage's
        under_index = await box(index)
        assert under_index["y"] <= 1  # stuck at the top of the window
        assert (await box(target))["y"] >= under_index["y"] + under_index["height"]  # not hidden beneath it

    await _read_stage(page, stage)
    go = index.get_by_role("link", name="Gå til nu")
    await expect(go).to_be_visible()
    await go.click()
    assert page.url.endswith(f"#talk-{morning['id']}")  # on this stage, the last talk started by 13:08
    await expect(page.locator(f"#talk-{morning['id']}")).to_be_in_viewport()
    assert await axe_violations(page) == []


async def test_by_stage_a_search_hides_the_hours_it_leaves_empty(phone, app_server, api):
    stage, _, _ = await _stage_with_two_talks(api)
    page = await open_programme(phone, app_server, "programme?view=stage")
    index = page.get_by_role("navigation", name="Tidspunkter")
    nine = index.get_by_role("link", name=re.compile(r"^09:"))
    await expect(nine).to_be_visible()
    await page.get_by_label(SEARCH).fill(f"Eftermiddag på {stage}")
    await expect(nine).to_be_hidden()
    await expect(index.get_by_role("link", name=re.compile(r"^16:"))).to_be_visible()


@pytest.fixture(scope="module")
def todays_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A fair that is on today (the server's clock decides what "now" is in the embed)."""
    server = start_live_server(tmp_path_factory.mktemp("today-live"), attendees=0)
    try:
        today = datetime.now(ZoneInfo("Europe/Copenhagen")).date().isoformat()
        Installation(database_url=server.database_url).messe("seed", "--date", today, "--move-date")
        yield server
    finally:
        server.stop()


async def test_the_embed_has_the_index_and_goes_to_now_without_scripts(phone, todays_server):
    page = await (await phone()).new_page()
    await page.goto(todays_server.url("embed"))
    assert await page.locator("script").count() == 0
    index = page.get_by_role("navigation", name="Tidspunkter")
    go = index.get_by_role("link", name="Gå til nu")
    await expect(go).to_be_visible()
    assert await axe_violations(page) == []
    await go.click()
    slot = page.locator(await go.get_attribute("href"))
    await expect(slot).to_be_in_viewport()
    under_index = await box(index)
    assert under_index["y"] <= 1
    assert (await box(slot))["y"] >= under_index["y"] + under_index["height"]
