"""The door desk with the keyboard only (issue 17): find a registered person and check them in,
register a walk-in that is rejected first (the error summary takes focus and leads to the field),
then accepted. After every step focus is on a named control (role and name as a screen reader
says them), never on the page's body."""

from __future__ import annotations

import uuid

from playwright.async_api import expect

from tests.accessibility import axe_violations, focused_node, press_until_focused
from tests.scanning.test_scanner_browser import sign_in, watch_for_errors

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "da-DK"}
NAME_FIELD = 'textbox "Navn (skal udfyldes)"'


async def test_search_and_check_in_at_the_desk_by_keyboard(chromium, desk_server):
    person = desk_server.attendees[11]
    context = await chromium.new_context(**PHONE)
    page = await context.new_page()
    errors = watch_for_errors(page)
    await sign_in(page, desk_server, "doer", "checkin/")
    await press_until_focused(page, 'searchbox "Navn, organisation eller e-mail"')
    await page.keyboard.type(person["name"].split()[-1])
    result = page.locator("#desk-results li", has_text=person["name"])
    await expect(result).to_contain_text("Ikke tjekket ind")
    check_in = f'button "Tjek ind {person["name"]}"'
    await press_until_focused(page, check_in)
    await page.keyboard.press("Enter")
    await expect(page.locator("#desk-status")).to_have_text(f"Tjekket ind: {person['name']}")
    await expect(result).to_contain_text("Tjekket ind kl.")
    # The list was shown anew with the person checked in: focus is on the same person's button.
    assert await focused_node(page) == check_in
    # Shift+Tab leads back to the search field, to find the next person.
    await press_until_focused(page, 'searchbox "Navn, organisation eller e-mail"', key="Shift+Tab", limit=10)
    await context.close()
    assert errors == []


async def test_a_walk_in_rejected_then_registered_by_keyboard(chromium, desk_server):
    context = await chromium.new_context(**PHONE)
    page = await context.new_page()
    errors = watch_for_errors(page)
    await sign_in(page, desk_server, "doer", "checkin/")
    await press_until_focused(page, NAME_FIELD)
    await page.keyboard.type("   ")
    await page.keyboard.press("Enter")
    # The page comes back with the error summary focused, on screen, leading to the field.
    summary = page.locator(".error-summary")
    await expect(summary).to_be_focused()
    assert (await focused_node(page)).startswith("alert: Ret venligst følgende")
    assert 0 <= (await summary.bounding_box())["y"] < PHONE["viewport"]["height"]
    await page.keyboard.press("Tab")
    assert await focused_node(page) == 'link "Navn: Skal være mindst 1 tegn"'
    await page.keyboard.press("Enter")
    assert await focused_node(page) == f"{NAME_FIELD} [invalid]"
    name = f"Gæst {uuid.uuid4().hex[:6]}"
    await page.keyboard.press("ControlOrMeta+A")
    await page.keyboard.type(name)
    await press_until_focused(page, 'textbox "Organisation"', limit=3)
    await page.keyboard.type("Ærø Kommune")
    await press_until_focused(page, 'checkbox "Deltageren vil gerne dele e-mail', limit=8)
    await page.keyboard.press("Space")
    await press_until_focused(page, 'button "Registrér, tjek ind og print badge"', limit=3)
    await page.keyboard.press("Enter")
    await expect(page.locator(".door-result__name")).to_have_text(name)
    # The answer takes focus, so it is read out; Tab goes on to the badge and back to the desk.
    assert await focused_node(page) == 'heading "✓ Registreret og tjekket ind" [level=1]'
    await page.keyboard.press("Tab")
    assert await focused_node(page) == 'link "Print badget (PDF)"'
    await page.keyboard.press("Tab")
    assert await focused_node(page) == 'link "Tilbage til indtjekning"'
    assert await axe_violations(page) == []
    await page.keyboard.press("Enter")
    await page.wait_for_selector("body[data-scanner='ready']")
    await context.close()
    assert [error for error in errors if "status of 422" not in error] == []
