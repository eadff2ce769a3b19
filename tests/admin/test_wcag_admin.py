"""WCAG 2.1 AA in the admin UI beyond what axe-core sees (issue 17): focus stays where the
organiser left it while the dashboard refreshes; pages reflow at 320 px; the programme grid shows
whole stage names at 200 % text; the live-search count is announced."""

from __future__ import annotations


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
