"""The door desk's script says how many people a search found with the right form for one and for
two, in Danish and in English ("1 person fundet" / "2 personer fundet", "1 person found" /
"2 people found"): both forms come with the page and static/js/language.js picks one."""

from __future__ import annotations

import httpx
from playwright.async_api import expect

from tests.conftest import bearer
from tests.scanning.test_scanner_browser import sign_in, watch_for_errors

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "da-DK"}
FOUND = {"da": ("1 person fundet", "2 personer fundet"), "en": ("1 person found", "2 people found")}


async def _words_found(server, hits: int) -> str:
    """A word of the attendees' names that the desk search finds exactly ``hits`` people by."""
    words = sorted({word for person in server.attendees for word in person["name"].split() if len(word) > 2})
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        for word in words:
            answer = await http.get(f"/{server.event}/api/checkins/search", params={"q": word},
                                    headers=bearer(server.door_tokens[0]))
            if len(answer.json()["items"]) == hits:
                return word
    raise AssertionError(f"no name word that finds {hits} people")


async def test_the_desk_says_one_person_and_two_people_found_in_danish_and_english(chromium, desk_server):
    one, two = await _words_found(desk_server, 1), await _words_found(desk_server, 2)
    page = await (await chromium.new_context(**DESKTOP)).new_page()
    errors = watch_for_errors(page)
    await sign_in(page, desk_server, "doer", "checkin/")
    for language, (found_one, found_two) in FOUND.items():
        await page.goto(desk_server.url(f"checkin/?lang={language}"))
        await page.wait_for_selector("body[data-scanner='ready']")
        assert await page.locator("html").get_attribute("lang") == language
        for words, expected, count in ((one, found_one, 1), (two, found_two, 2), (one, found_one, 1)):
            await page.fill("#desk-query", words)
            await expect(page.locator("#desk-results > li")).to_have_count(count)
            await expect(page.locator("#desk-status")).to_have_text(expected)
    assert errors == []
