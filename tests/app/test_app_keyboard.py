"""The attendee's main tasks with the keyboard only (issue 17): find and star a talk, choose in a
clash alert, keep a three-way clash, close an alert. After every step focus is on a named control
where the task goes on (its role and name as a screen reader says them), never on the page's body."""

from __future__ import annotations

import re
import uuid

from playwright.async_api import expect

from tests.accessibility import focused_node, press_until_focused
from tests.app.test_live_alerts import open_programme
from tests.live.conftest import new_talk

SEARCH = 'searchbox "Søg i titel, beskrivelse, taler, organisation, scene eller spor"'


async def star_by_keyboard(page, title: str) -> None:
    """Tab to the talk's star and press Space: the same star keeps focus, now named for unstarring."""
    await press_until_focused(page, f'button "Stjernemarkér {title}"')
    await page.keyboard.press("Space")
    assert await focused_node(page) == f'button "Fjern stjerne fra {title}"'


async def search_by_keyboard(page, words: str) -> None:
    """From the top of the page, Tab to the search field and type: the list shows what matches."""
    await press_until_focused(page, SEARCH)
    await page.keyboard.type(words)
    await expect(page.locator("#search-count")).not_to_be_empty()
    assert await focused_node(page) == f"{SEARCH}: {words}"


async def test_find_and_star_a_talk_with_the_keyboard(phone, app_server):
    page = await open_programme(phone, app_server)
    await search_by_keyboard(page, "Bølgeplanen i bakspejlet")
    title = "Bølgeplanen i bakspejlet – og hvad den lærer os om næste bølge"
    # After the filters ("Vis", "Vis alle") and the time index's one hour left by the search, the
    # one talk found: its link, then its star.
    await press_until_focused(page, 'link "Vis alle"')
    await page.keyboard.press("Tab")
    assert re.fullmatch(r'link "\d\d:\d\d"', await focused_node(page))  # the hour (as the fair's day has it)
    await page.keyboard.press("Tab")
    assert await focused_node(page) == f'link "{title}"'
    await star_by_keyboard(page, title)
    await page.keyboard.press("Enter")  # and off again
    assert await focused_node(page) == f'button "Stjernemarkér {title}"'
    # Back up to the search field with Shift+Tab, past the filters.
    await press_until_focused(page, SEARCH, key="Shift+Tab", limit=8)


async def test_choose_in_a_clash_alert_and_close_it_with_the_keyboard(phone, app_server, api):
    tag = uuid.uuid4().hex[:6]
    first = f"Valget {tag} A"
    await new_talk(api, title=first)
    second = await new_talk(api, title=f"Valget {tag} B", starts_at="2026-11-27T11:00:00+01:00",
                            ends_at="2026-11-27T11:20:00+01:00")
    page = await open_programme(phone, app_server)
    await search_by_keyboard(page, tag)
    await star_by_keyboard(page, first)
    await star_by_keyboard(page, f"Valget {tag} B")

    await api.patch(f"api/talks/{second['id']}", json={"starts_at": "2026-11-27T10:05:00+01:00"})
    await page.locator("#live-alert .alert__choice").wait_for()
    # The alert does not take focus from the star; the choice is a few Shift+Tabs up, at the top.
    assert await focused_node(page) == f'button "Fjern stjerne fra Valget {tag} B"'
    await press_until_focused(page, f'button "Følg {first}"', key="Shift+Tab")
    await page.keyboard.press("Enter")
    # The choice is made: focus is on the alert that now says so, not on the page's top.
    settled = page.locator("#live-alert .starred-alert", has_text=f"Du følger {first}.")
    await expect(settled).to_be_focused()
    await page.keyboard.press("Tab")
    assert await focused_node(page) == 'button "Luk"'
    assert await page.locator(":focus").get_attribute("aria-describedby")
    await page.keyboard.press("Enter")
    await expect(settled).to_have_count(0)
    # The last alert gone: focus is on the page's heading.
    assert await focused_node(page) == 'heading "Program" [level=1]'
    await press_until_focused(page, f'button "Fjern stjerne fra {first}"')
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    assert await focused_node(page) == f'button "Stjernemarkér Valget {tag} B"'  # no longer followed


async def test_keep_both_and_keep_all_with_the_keyboard(phone, app_server, api):
    tag = uuid.uuid4().hex[:6]
    titles = [f"Beholdes {tag} {letter}" for letter in "ABC"]
    await new_talk(api, title=titles[0])
    second = await new_talk(api, title=titles[1], starts_at="2026-11-27T11:00:00+01:00",
                            ends_at="2026-11-27T11:20:00+01:00")
    third = await new_talk(api, title=titles[2], starts_at="2026-11-27T12:00:00+01:00",
                           ends_at="2026-11-27T12:20:00+01:00")
    page = await open_programme(phone, app_server)
    await search_by_keyboard(page, tag)
    for title in titles:
        await star_by_keyboard(page, title)

    await api.patch(f"api/talks/{second['id']}", json={"starts_at": "2026-11-27T10:05:00+01:00"})
    await page.locator("#live-alert .alert__choice").wait_for()
    await press_until_focused(page, 'button "Behold begge"', key="Shift+Tab")
    await page.keyboard.press("Enter")
    await expect(page.locator("#live-alert .starred-alert")).to_have_count(0)
    assert await focused_node(page) == 'heading "Program" [level=1]'

    await api.patch(f"api/talks/{third['id']}", json={"starts_at": "2026-11-27T10:10:00+01:00"})
    await page.locator("#live-alert .alert__choice").wait_for()
    await press_until_focused(page, 'button "Behold alle"', key="Shift+Tab")
    await page.keyboard.press("Enter")
    await expect(page.locator("#live-alert .starred-alert")).to_have_count(0)
    assert await focused_node(page) == 'heading "Program" [level=1]'
    for title in titles:  # all three still followed
        await press_until_focused(page, f'button "Fjern stjerne fra {title}"')


async def test_close_an_announcement_and_then_all_with_the_keyboard(phone, app_server, api):
    page = await open_programme(phone, app_server)
    await api.post("api/announcements", json={"title": "Garderoben lukker", "body": "", "level": "urgent"})
    await page.locator("#live .banner").wait_for()
    # From the top of the page the banner's "Luk" comes before the page's own content.
    await press_until_focused(page, 'button "Luk"', limit=15)
    assert await page.evaluate("() => document.getElementById(document.activeElement.getAttribute("
                               "'aria-describedby')).textContent") == "Garderoben lukker"
    await page.keyboard.press("Enter")
    await expect(page.locator("#live .banner")).to_have_count(0)
    assert await focused_node(page) == 'heading "Program" [level=1]'

    for title in ("Frokosten er serveret", "Kaffen er klar"):
        await api.post("api/announcements", json={"title": title, "body": "", "level": "info"})
    await expect(page.locator("#live .banner")).to_have_count(2)
    await press_until_focused(page, 'button "Luk alle"', key="Shift+Tab", limit=10)
    await page.keyboard.press("Enter")
    await expect(page.locator("#live .banner")).to_have_count(0)
    assert await focused_node(page) == 'heading "Program" [level=1]'
