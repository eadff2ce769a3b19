"""End to end in Chromium: a fake rear camera films a real signed badge; the phone pages scan it.

Online, one scan makes exactly one lead. Offline, the scan is checked on the phone (name and
organisation at once), notes are typed, the page is even reopened offline, and when the network
returns exactly one lead with those notes reaches the server. At the door, the second scan of a
badge says when it was first let in, and a badge held up while its verdict shows is read once,
while the next person's is read at once. A camera the page may not use is explained in words.
"""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Page, expect

from tests.accessibility import axe_violations
from tests.conftest import bearer

SCAN_TIMEOUT = 20_000  # ms: the camera needs a moment to start and jsQR a few frames
REPEAT_MS = 4000  # static/js/scan/camera.js: a code out of sight this long is read again


def watch_for_errors(page: Page) -> list[str]:
    """Console errors and uncaught exceptions (a CSP violation shows up here too); the browser's
    own guess at /favicon.ico is not the page's doing."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(f"{message.text} {message.location.get('url')}")
            if message.type == "error" and "favicon.ico" not in message.location.get("url", "") else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


async def sign_in(page: Page, server, username: str, landing: str) -> None:
    await page.goto(server.url("login"))
    await page.fill("#username", username)
    await page.fill("#password", server.password)
    await page.click('form[action$="/login"] button[type="submit"]')
    await page.wait_for_url(server.url(landing))
    await page.wait_for_selector("body[data-scanner='ready']")


async def server_leads(server, token: str) -> list[dict]:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        answer = await http.get(f"/{server.event}/api/leads", headers=bearer(token))
        assert answer.status_code == 200
        return answer.json()["items"]


async def test_online_scan_creates_one_lead(live_server, phone):
    visitor = live_server.attendees[0]
    page = await (await phone(live_server.badge(visitor))).new_page()
    errors = watch_for_errors(page)
    await sign_in(page, live_server, "udstiller-a", "leads/")
    await page.click("#camera-toggle")
    await expect(page.locator("#editor-heading")).to_have_text(visitor["name"], timeout=SCAN_TIMEOUT)
    await expect(page.locator("#editor-organisation")).to_contain_text(visitor["organisation"])
    await expect(page.locator("#sync-status")).to_have_attribute("data-pending", "0")
    await expect(page.locator("#lead-list li")).to_have_count(1)
    # Notes typed before "Scan next" are kept; scanning the same badge again opens the same lead.
    await page.fill("#edit-notes", "Godt møde på standen")
    await page.click("#scan-next")
    await expect(page.locator("#scan-result")).to_contain_text("allerede skannet", timeout=SCAN_TIMEOUT)
    await expect(page.locator("#edit-notes")).to_have_value("Godt møde på standen")
    await expect(page.locator("#sync-status")).to_have_attribute("data-pending", "0")
    leads = await server_leads(live_server, live_server.exhibitor_tokens[0])
    assert [(lead["attendee"]["id"], lead["notes"]) for lead in leads] == [(visitor["id"], "Godt møde på standen")]
    assert await axe_violations(page) == []
    await page.goto(live_server.url(f"leads/{leads[0]['id']}"))
    await expect(page.get_by_role("heading", level=1)).to_contain_text(visitor["name"])
    assert await axe_violations(page) == []
    assert errors == []


async def test_offline_scan_and_notes_sync_when_back_online(live_server, phone):
    visitor = live_server.attendees[1]
    context = await phone(live_server.badge(visitor))
    page = await context.new_page()
    errors = watch_for_errors(page)
    await sign_in(page, live_server, "udstiller-b", "leads/")
    status = page.locator("#sync-status")
    await expect(status).to_have_attribute("data-pending", "0")
    assert await page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    await context.set_offline(True)
    await page.click("#camera-toggle")
    await expect(page.locator("#editor-heading")).to_have_text(visitor["name"], timeout=SCAN_TIMEOUT)
    await expect(status).to_have_attribute("data-pending", "1")
    await expect(status).to_contain_text("1 venter på synkronisering")
    notes = "Vil høre mere om OS2 – ring efter messen"
    await page.fill("#edit-notes", notes)
    await page.click("#edit-rating-4")
    await page.click('#editor-form button[type="submit"]')
    await expect(page.locator("#scan-result")).to_contain_text("Gemt på telefonen")
    await expect(status).to_have_attribute("data-pending", "1")
    assert await server_leads(live_server, live_server.exhibitor_tokens[1]) == []
    # The phone may drop the page while offline: it opens again from the service worker's cache.
    await page.reload()
    await page.wait_for_selector("body[data-scanner='ready']")
    await expect(status).to_have_attribute("data-pending", "1")
    await expect(page.locator("#lead-list li")).to_contain_text("Venter på synkronisering")

    await context.set_offline(False)
    await expect(status).to_have_attribute("data-pending", "0", timeout=15_000)
    await expect(status).to_have_text("Alt er synkroniseret")
    leads = await server_leads(live_server, live_server.exhibitor_tokens[1])
    assert [(lead["attendee"]["id"], lead["notes"], lead["rating"]) for lead in leads] == [
        (visitor["id"], notes, 4)]
    assert [error for error in errors if "ERR_INTERNET_DISCONNECTED" not in error] == []


async def test_door_says_already_checked_in_with_the_time(live_server, phone):
    visitor = live_server.attendees[2]
    page = await (await phone(live_server.badge(visitor))).new_page()
    errors = watch_for_errors(page)
    await sign_in(page, live_server, "doer", "checkin/")
    await page.fill("#door-field", "Hovedindgang")
    await page.click("#camera-toggle")
    verdict = page.locator("#door-verdict")
    await expect(verdict).to_have_text("✓ Tjekket ind", timeout=SCAN_TIMEOUT)
    await expect(page.locator("#door-name")).to_have_text(visitor["name"])
    await expect(page.locator("#door-result")).to_have_class("door-result door-result--ok")
    # The camera keeps filming the same badge: the verdict stays green for that person...
    await page.wait_for_timeout(REPEAT_MS + 2000)
    await expect(verdict).to_have_text("✓ Tjekket ind")
    await expect(page.locator("#recent li")).to_have_count(1)
    # ...until door staff scan it again on purpose.
    await page.click("#camera-toggle")
    await page.click("#camera-toggle")
    await expect(verdict).to_have_text("! Allerede tjekket ind", timeout=SCAN_TIMEOUT)
    await expect(page.locator("#door-detail")).to_have_text(re.compile(r"kl\. \d\d:\d\d ved Hovedindgang"))
    await expect(page.locator("#counts")).to_contain_text("1 af")
    assert await axe_violations(page) == []

    # A walk-in: a name of only spaces is sent back with the field marked, then registered.
    await page.fill("#walk-in-name", "   ")
    await page.click('#walk-in-form button[type="submit"]')
    await expect(page.locator("#walk-in-name")).to_have_attribute("aria-invalid", "true")
    assert await axe_violations(page) == []
    await page.fill("#walk-in-name", "Åse Ødegård-Nguyễn")
    await page.click('#walk-in-form button[type="submit"]')
    await expect(page.locator(".door-result__name")).to_have_text("Åse Ødegård-Nguyễn")
    await expect(page.locator(".door-result__detail")).to_contain_text("ved Hovedindgang")
    assert await axe_violations(page) == []
    refused_form = "status of 422 (Unprocessable Entity) " + live_server.url("checkin/walk-in")
    assert [error for error in errors if not error.endswith(refused_form)] == []


async def test_door_reads_each_person_once_while_badges_are_held_up(live_server, phone):
    first, second = live_server.attendees[3], live_server.attendees[4]
    # The camera sees one badge for a second, then the next one, and so on in a loop.
    page = await (await phone(live_server.badge(first), live_server.badge(second))).new_page()
    errors = watch_for_errors(page)
    await sign_in(page, live_server, "doer", "checkin/")
    await page.click("#camera-toggle")
    recent = page.locator("#recent li")
    await expect(recent).to_have_count(2, timeout=SCAN_TIMEOUT)
    await expect(recent.filter(has_text=first["name"])).to_contain_text("✓ Tjekket ind")
    await expect(recent.filter(has_text=second["name"])).to_contain_text("✓ Tjekket ind")
    # Both badges keep coming back into view, never out of sight for the repeat pause: no amber.
    await page.wait_for_timeout(REPEAT_MS + 2000)
    await expect(recent).to_have_count(2)
    await expect(page.locator("#door-verdict")).to_have_text("✓ Tjekket ind")
    assert errors == []


async def test_a_refused_camera_is_explained_and_its_box_hidden(live_server, phone):
    page = await (await phone(live_server.badge(live_server.attendees[5]), camera_allowed=False)).new_page()
    await sign_in(page, live_server, "doer", "checkin/")
    await page.click("#camera-toggle")
    verdict = page.locator("#door-verdict")
    await expect(verdict).to_have_text("✗ Siden har ikke adgang til kameraet. Tillad kameraet i browserens "
                                       "indstillinger for siden, og tryk Start kamera igen.")
    await expect(page.locator("#camera")).to_be_hidden()
    await expect(page.locator("#camera-toggle")).to_have_text("Start kamera")
    await expect(page.locator("#camera-toggle")).to_have_attribute("aria-pressed", "false")
    assert await axe_violations(page) == []
