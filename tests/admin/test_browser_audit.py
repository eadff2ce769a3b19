"""The audit log in Chromium: filters used by keyboard with their labels, a link to the record,
and axe-core finding nothing at desktop width and on a 390 px phone."""

from __future__ import annotations

import re

from tests.accessibility import axe_violations, focused_node
from tests.admin.test_every_page_fits import WIDER_THAN_THE_WINDOW


async def _new_speaker(page, server, name: str, code: str) -> None:
    await page.goto(server.url("admin/speakers/new"))
    await page.get_by_label("Navn").first.fill(name)
    await page.get_by_label("Kode").fill(code)
    await page.get_by_role("button", name="Gem").click()
    await page.wait_for_url(re.compile(r"/admin/speakers"))


async def test_the_audit_log_is_filtered_by_keyboard_and_links_to_the_record(admin_page, admin_server):
    page = admin_page
    await _new_speaker(page, admin_server, "Revisions Taler", "revisions-taler")
    await page.goto(admin_server.url("admin/audit"))
    assert await axe_violations(page) == []
    await page.locator("#filter-actor").focus()
    assert await focused_node(page) == 'combobox "Hvem"'
    walk = ["filter-actor"]
    for _ in range(20):  # a date-and-time field takes a Tab per part (day, month, year, hours, minutes)
        await page.keyboard.press("Tab")
        here = await page.evaluate("() => document.activeElement.id || document.activeElement.textContent.trim()")
        if here != walk[-1]:
            walk.append(here)
        if here == "Filtrér":
            break
    assert walk == ["filter-actor", "filter-kind", "filter-from", "filter-to", "Filtrér"]
    for field, name in (("#filter-kind", 'combobox "Hvad"'), ("#filter-from", 'textbox "Fra"'),
                        ("#filter-to", 'textbox "Til"')):
        await page.locator(field).focus()
        assert await focused_node(page) == name
    await page.locator("#filter-kind").select_option(label="Taler oprettet")
    await page.get_by_role("button", name="Filtrér").press("Enter")
    await page.wait_for_url(re.compile(r"kind=speaker\.created"))
    log = page.locator(".audit-log")
    assert "oprettede taleren 'Revisions Taler'" in await log.inner_text()
    assert "(arrangør)" in await log.inner_text()
    assert await page.locator("#filter-kind").input_value() == "speaker.created"  # the filter stays chosen
    assert await axe_violations(page) == []
    link = log.get_by_role("link", name="Se taleren").first
    await link.focus()
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r"/admin/speakers/\d+$"))
    assert await page.get_by_label("Navn").first.input_value() == "Revisions Taler"


async def test_the_audit_log_on_a_phone_is_axe_clean_and_fits(chromium, admin_server, organiser_state):
    context = await chromium.new_context(viewport={"width": 390, "height": 844}, storage_state=organiser_state,
                                         is_mobile=True, has_touch=True)
    page = await context.new_page()
    try:
        await _new_speaker(page, admin_server, "Telefon Taler med et langt navn", "telefon-taler")
        for query in ("", "?kind=speaker.created"):
            await page.goto(admin_server.url("admin/audit" + query))
            assert "oprettede taleren" in await page.locator(".audit-log").inner_text()
            assert await axe_violations(page) == [], query
            assert await page.evaluate(WIDER_THAN_THE_WINDOW) == [], query
            assert await page.evaluate("() => document.documentElement.scrollWidth") <= 390
    finally:
        await context.close()
