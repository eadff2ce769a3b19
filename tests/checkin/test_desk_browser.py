"""The door desk in Chromium, by keyboard only: find a registered person as you type, check them in
by hand, reprint their badge; a walk-in with a registered e-mail is offered that person instead.
axe-clean at 1280 and 390 px."""

from __future__ import annotations

import uuid

import httpx
from playwright.async_api import expect

from tests.accessibility import axe_violations
from tests.conftest import bearer
from tests.scanning.test_scanner_browser import sign_in, watch_for_errors

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "da-DK"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "da-DK"}


async def _scan(server, attendee: dict, version: int) -> int:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        answer = await http.post(f"/{server.event}/api/checkins", headers=bearer(server.door_tokens[0]),
                                 json={"payload": server.badge(attendee, version), "client_id": uuid.uuid4().hex})
        return answer.status_code


async def test_find_check_in_and_reprint_by_keyboard(chromium, desk_server):
    person = desk_server.attendees[5]
    surname = person["name"].split()[-1]
    context = await chromium.new_context(**DESKTOP)
    page = await context.new_page()
    errors = watch_for_errors(page)
    await sign_in(page, desk_server, "doer", "checkin/")
    await page.focus("#desk-query")
    await page.keyboard.type(surname.upper())
    result = page.locator("#desk-results li", has_text=person["name"])
    await expect(result).to_have_count(1)
    await expect(page.locator("#desk-status")).to_contain_text("fundet")
    await expect(result).to_contain_text("Ikke tjekket ind")
    assert await axe_violations(page) == []

    await page.focus("#desk-query")
    while not (await page.evaluate("() => document.activeElement.closest('li')?.textContent || ''")).startswith(
            person["name"]):
        await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")  # the person's "Tjek ind"
    await expect(page.locator("#door-verdict")).to_have_text("✓ Tjekket ind")
    await expect(page.locator("#door-name")).to_have_text(person["name"])
    await expect(page.locator("#desk-status")).to_have_text(f"Tjekket ind: {person['name']}")
    await expect(result).to_contain_text("Tjekket ind kl.")
    await page.keyboard.press("Enter")  # again: the same answer as a second scan
    await expect(page.locator("#door-verdict")).to_have_text("! Allerede tjekket ind")

    page.on("dialog", lambda dialog: dialog.accept())
    await page.keyboard.press("Tab")  # "Genudskriv badge"
    await page.keyboard.press("Enter")
    await expect(page.locator("#desk-status")).to_contain_text("(version 2) er klar")
    link = result.locator(".desk-item__pdf a")
    await expect(link).to_be_focused()
    pdf = await page.request.get(desk_server.base_url + await link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    await expect(result).to_contain_text("Badge version 2")
    assert await _scan(desk_server, person, version=1) == 409  # the old badge no longer works
    assert await axe_violations(page) == []

    phone = await chromium.new_context(**PHONE, storage_state=await context.storage_state())
    small = await phone.new_page()
    await small.goto(desk_server.url("checkin/"))
    await small.wait_for_selector("body[data-scanner='ready']")
    await small.fill("#desk-query", surname.lower())
    await expect(small.locator("#desk-results li", has_text=person["name"])).to_contain_text("Tjekket ind kl.")
    assert await axe_violations(small) == []
    await phone.close()
    await context.close()
    assert errors == []


async def test_a_walk_in_with_a_registered_email_is_offered_that_person(chromium, desk_server):
    context = await chromium.new_context(**PHONE)
    page = await context.new_page()
    errors = watch_for_errors(page)
    await sign_in(page, desk_server, "doer", "checkin/")
    email = f"aase-{uuid.uuid4().hex[:6]}@aeroe.dk"
    await page.fill("#walk-in-name", "Åse Ødegård-Nguyễn")
    await page.fill("#walk-in-organisation", "Ærø Kommune")
    await page.fill("#walk-in-email", email)
    await page.click('#walk-in-form button[type="submit"]')
    await expect(page.locator(".door-result__name")).to_have_text("Åse Ødegård-Nguyễn")

    await page.goto(desk_server.url("checkin/"))
    await page.wait_for_selector("body[data-scanner='ready']")
    await page.fill("#walk-in-name", "Aase Oedegaard")
    await page.fill("#walk-in-email", email.upper())
    await page.click('#walk-in-form button[type="submit"]')
    summary = page.locator(".error-summary")
    await expect(summary).to_contain_text("Er allerede registreret for Åse Ødegård-Nguyễn (Ærø Kommune)")
    await expect(summary).to_be_focused()
    await page.wait_for_selector("body[data-scanner='ready']")
    offered = page.locator("#desk-results li")
    await expect(offered).to_have_count(1)
    await expect(offered).to_contain_text("Åse Ødegård-Nguyễn")
    assert await axe_violations(page) == []
    await offered.get_by_role("button", name="Tjek ind").click()
    await expect(page.locator("#door-verdict")).to_have_text("! Allerede tjekket ind")
    await context.close()
    refused = "status of 409 (Conflict) " + desk_server.url("checkin/walk-in")
    assert [error for error in errors if not error.endswith(refused)] == []
