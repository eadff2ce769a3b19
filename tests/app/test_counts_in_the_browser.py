"""Counts the phone's scripts write as you type read right for one and for two, in Danish and in
English: the page hands the scripts both of the server's forms (messe.i18n.plural_forms) and
static/js/language.js picks one, so "1 udstiller" / "2 udstillere", "1 exhibitor" / "2 exhibitors",
"1 talk shown" / "2 talks shown". Each count is checked to come from the script (the page is not
reloaded) and to match what the server itself writes for the same search."""

from __future__ import annotations

import uuid

from playwright.async_api import expect

from tests.app.test_live_alerts import open_programme
from tests.live.conftest import new_talk

# In the seeded fair (seed/exhibitors.json): one exhibitor is KMD, two speak of Serviceplatformen.
EXHIBITOR_COUNTS = {
    "da": {"kmd": "1 udstiller", "serviceplatformen": "2 udstillere"},
    "en": {"kmd": "1 exhibitor", "serviceplatformen": "2 exhibitors"},
}


async def _typed_without_reload(page, field: str, words: str, counter: str, expected: str, shown: str) -> None:
    await page.evaluate("() => { window.notReloaded = true; }")
    await page.locator(field).fill(words)
    await expect(page.locator(counter)).to_have_text(expected)
    await expect(page.locator(shown)).to_have_count(int(expected.split()[0]))
    assert await page.evaluate("() => window.notReloaded === true")  # the script wrote it, not the server


async def test_the_exhibitor_count_says_one_and_two_in_danish_and_english(phone, app_server):
    for language, counts in EXHIBITOR_COUNTS.items():
        page = await (await phone()).new_page()
        await page.goto(app_server.url(f"exhibitors?lang={language}"))
        assert await page.locator("html").get_attribute("lang") == language
        for words, expected in counts.items():
            await _typed_without_reload(page, "#exhibitor-search", words, "#exhibitor-count", expected,
                                        "#exhibitor-list > li:not([hidden])")
            served = await (await phone(java_script_enabled=False)).new_page()
            await served.goto(app_server.url(f"exhibitors?lang={language}&q={words}"))
            await expect(served.locator("#exhibitor-count")).to_have_text(expected)


async def test_the_search_count_says_one_and_two_talks_in_danish_and_english(phone, app_server, api):
    one, two = f"enkelt{uuid.uuid4().hex[:6]}", f"dobbelt{uuid.uuid4().hex[:6]}"
    await new_talk(api, title=f"Foredrag om {one}")
    await new_talk(api, title=f"Første foredrag om {two}")
    await new_talk(api, title=f"Andet foredrag om {two}")
    expected = {"da": {one: "1 foredrag vist", two: "2 foredrag vist"},
                "en": {one: "1 talk shown", two: "2 talks shown"}}
    for language, counts in expected.items():
        page = await open_programme(phone, app_server, f"programme?lang={language}")
        for words, text in counts.items():
            await _typed_without_reload(page, "#search-q", words, "#search-count", text,
                                        "#live-body [data-talk]:not([hidden])")
