"""Capturing a lead with the keyboard only (issue 17): the badge's code typed into the code field
(as a hand scanner does), notes and a rating, saved, and on to the next visitor. After every step
focus is on a named control or heading (role and name as a screen reader says them), never on
the page's body."""

from __future__ import annotations

from playwright.async_api import expect

from tests.accessibility import axe_violations, focused_node, press_until_focused
from tests.admin.conftest import chromium  # noqa: F401 (the browser fixture)
from tests.scanning.test_scanner_browser import server_leads, sign_in, watch_for_errors

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "da-DK"}
CODE_FIELD = 'textbox "Kode fra badget (tast den, eller brug en håndscanner)"'


async def test_capture_a_lead_by_typing_the_badge_code(chromium, live_server):  # noqa: F811
    visitor = live_server.attendees[4]
    context = await chromium.new_context(**PHONE)
    page = await context.new_page()
    errors = watch_for_errors(page)
    await sign_in(page, live_server, "udstiller-b", "leads/")
    await press_until_focused(page, CODE_FIELD)
    await page.keyboard.type(live_server.badge(visitor))
    await page.keyboard.press("Enter")
    # The lead opens with its heading focused: the visitor's name is read out.
    await expect(page.locator("#editor-heading")).to_have_text(visitor["name"])
    assert await focused_node(page) == f'heading "{visitor["name"]}" [level=2]'
    await press_until_focused(page, 'textbox "Noter"', limit=4)
    await page.keyboard.type("Vil have en demo")
    await page.keyboard.press("Tab")
    assert await focused_node(page) == 'radio "Ingen" [checked]'
    for _ in range(4):
        await page.keyboard.press("ArrowRight")
    assert await focused_node(page) == 'radio "4" [checked]'
    await press_until_focused(page, 'button "Gem"', limit=12)
    await page.keyboard.press("Enter")
    await expect(page.locator("#scan-result")).to_contain_text("Gemt")
    assert await focused_node(page) == 'button "Gem"'
    await expect(page.locator("#sync-status")).to_have_attribute("data-pending", "0")
    assert await axe_violations(page) == []
    # "Skan næste" closes the lead: focus goes back to the scanner, one Tab from the code field.
    await page.keyboard.press("Tab")
    assert await focused_node(page) == 'button "Skan næste"'
    await page.keyboard.press("Enter")
    await expect(page.locator("#editor")).to_be_hidden()
    assert await focused_node(page) == 'button "Start kamera"'
    await page.keyboard.press("Tab")
    assert await focused_node(page) == CODE_FIELD
    leads = await server_leads(live_server, live_server.exhibitor_tokens[1])
    assert [(lead["attendee"]["id"], lead["notes"], lead["rating"]) for lead in leads
            if lead["attendee"]["id"] == visitor["id"]] == [(visitor["id"], "Vil have en demo", 4)]
    await context.close()
    assert errors == []
