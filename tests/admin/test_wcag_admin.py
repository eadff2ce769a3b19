"""WCAG 2.1 AA in the admin UI beyond what axe-core sees (issue 17): focus stays where the
organiser left it while the dashboard refreshes; the programme grid shows whole stage names at 200 %
text; the live-search count is announced. Every page at 320 px and at 200 % text:
tests/admin/test_every_page_fits.py."""

from __future__ import annotations

import re

import pytest

from tests.admin.live_data import add_live_data


async def test_the_dashboard_refresh_keeps_focus_where_it_was(admin_page, admin_server):
    page = admin_page
    await page.goto(admin_server.url("admin/dashboard"))
    summary = page.locator("#dashboard-live summary").first
    await summary.focus()
    before = await page.locator("[data-dashboard-time]").inner_text()
    await page.wait_for_function("t => document.querySelector('[data-dashboard-time]').textContent !== t",
                                 arg=before, timeout=15_000)
    assert await summary.evaluate("node => node === document.activeElement")
    assert await page.evaluate("() => document.activeElement.textContent") == "Tallene som tabel"


async def test_the_programme_grid_shows_whole_stage_names_at_200_percent_text(admin_page, admin_server):
    page = admin_page
    await page.goto(admin_server.url("admin/programme"))
    await page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    clipped = await page.evaluate("""() => [...document.querySelectorAll('.programme-grid thead th')]
        .filter((th) => th.scrollWidth > th.clientWidth + 1).map((th) => th.textContent.trim().split('\\n')[0])""")
    assert await page.locator(".programme-grid thead th").count() > 2
    assert clipped == []


async def test_the_live_search_count_is_the_same_status_region_with_new_text(admin_page, admin_server):
    page = admin_page
    for path, field, typed in (("admin/attendees", "#q", admin_server.attendees[7]["name"]),
                               ("admin/badges", "#f-organisation", "Kommune")):
        await page.goto(admin_server.url(path))
        status = page.locator("[data-live-search] ~ div [role=status]").first
        await status.evaluate("node => { node.dataset.original = 'yes'; }")
        before = await status.inner_text()
        await page.locator(field).press_sequentially(typed, delay=5)
        await page.wait_for_function("t => document.querySelector('[data-original] ') &&"
                                     " document.querySelector('[data-original]').textContent !== t", arg=before)
        assert await page.locator("[role=status][data-original]").count() == 1, path
        assert await page.evaluate("() => document.activeElement.matches('input')")


async def test_after_a_move_is_saved_focus_is_on_the_confirmation(admin_page, admin_server):
    page = admin_page
    talk_id = add_live_data(admin_server, {})["talks"]["t-012"]
    await page.goto(admin_server.url(f"admin/programme/talks/{talk_id}"))
    await page.get_by_label("Start").fill("2026-11-27T16:05")
    await page.get_by_label("Start").press("Enter")
    await page.get_by_role("heading", name=re.compile("Før du gemmer")).wait_for()
    assert await page.evaluate("() => document.activeElement.id") == "impact-heading"
    impact = await page.locator("#impact").inner_text()
    assert "Kan ikke gemmes" not in impact, impact
    await page.get_by_role("button", name="Gem og send til telefonerne").press("Enter")
    await page.wait_for_url(re.compile(r"/admin/programme#talk-\d+$"))
    await page.wait_for_function("() => document.activeElement.matches('.flash')")
    confirmation = await page.evaluate("() => document.activeElement.textContent")
    assert "er gemt og sendt til deltagernes telefoner" in confirmation
    box = await page.evaluate("() => document.activeElement.getBoundingClientRect().toJSON()")
    assert 0 <= box["top"] < 900


# Where the grid's stage headers are and where the focused talk is, in the window.
HEADERS_AND_FOCUS = """() => {
    const region = document.activeElement.closest('.programme-grid-region');
    const heads = [...region.querySelectorAll('thead th')].map((th) => th.getBoundingClientRect());
    const focused = document.activeElement.getBoundingClientRect();
    return { top: Math.min(...heads.map((h) => h.top)), bottom: Math.max(...heads.map((h) => h.bottom)),
             focused: [focused.top, focused.bottom], window: innerHeight };
}"""


@pytest.mark.parametrize("text", ["100%", "200%"])
async def test_the_grids_stage_headers_stay_in_view_above_the_talk_in_focus(admin_page, admin_server, text: str):
    """Reading or tabbing down the day, the stage names stay on screen, and never cover the talk in focus."""
    page = admin_page
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.goto(admin_server.url("admin/programme"))
    await page.evaluate("t => { document.documentElement.style.fontSize = t; }", text)
    titles = page.locator(".programme-grid .talk-card__title")
    for index in (await titles.count() - 1, await titles.count() // 2):  # the day's last talk, then one halfway
        await titles.nth(index).focus()
        where = await page.evaluate(HEADERS_AND_FOCUS)
        assert where["top"] >= -1 and where["bottom"] <= where["window"], where
        assert where["focused"][0] >= where["bottom"] - 1 and where["focused"][1] <= where["window"], where


@pytest.mark.parametrize("path", ["admin/attendees/import", "admin/programme/import"])
async def test_a_file_that_cannot_be_imported_focuses_an_error_summary_that_leads_to_the_field(admin_page,
                                                                                              admin_server, path):
    page = admin_page
    await page.goto(admin_server.url(path))
    await page.locator("main form button[type=submit]").first.click()  # no file chosen
    await page.wait_for_function("() => document.activeElement.matches('.error-summary')")
    assert "Filen kan ikke importeres" in await page.evaluate("() => document.activeElement.textContent")
    await page.keyboard.press("Tab")
    assert await page.evaluate("() => document.activeElement.getAttribute('href')") == "#file"
    await page.keyboard.press("Enter")
    assert await page.evaluate("() => document.activeElement.id") == "file"
