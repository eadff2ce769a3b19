"""Live on the phone: a starred talk that moves is announced loudly within a second and shows its
new time in place; a move that makes two starred talks overlap offers the choice in one tap;
cancelled talks stay, struck through; announcements appear as banners."""

from __future__ import annotations

import time

from tests.live.conftest import new_talk


async def open_programme(phone, server, path: str = "programme?view=stage", **options):
    page = await (await phone(**options)).new_page()
    await page.goto(server.url(path))
    await page.locator('#connection[data-connected="true"]').wait_for(state="attached")
    return page


def star_of(page, title: str):
    return page.get_by_role("button", name=f"Stjernemarkér {title}", exact=True).first


async def test_a_starred_talk_that_moves_is_announced_within_a_second(phone, app_server, api):
    talk = await new_talk(api, title="Flyttes under messen")
    page = await open_programme(phone, app_server)
    star = star_of(page, "Flyttes under messen")
    await star.click()
    assert await star.get_attribute("aria-pressed") == "true"

    started = time.monotonic()
    moved = await api.patch(f"api/talks/{talk['id']}", json={"starts_at": "2026-11-27T14:30:00+01:00"})
    moved.raise_for_status()
    alert = page.locator("#live-alert .starred-alert")
    await alert.wait_for(timeout=1000)
    assert time.monotonic() - started < 1.0
    assert await alert.locator(".alert__message").inner_text() == \
        "Flyttet: Flyttes under messen er nu kl. 14:30 på Testscenen"
    assert await page.locator("#live-alert").get_attribute("role") == "alert"
    item = page.locator(f"#talk-{talk['id']}")
    assert "14:30–14:50" in await item.inner_text()


async def test_a_move_into_an_overlap_offers_the_choice(phone, app_server, api):
    await new_talk(api, title="Den første")
    second = await new_talk(api, title="Den anden", starts_at="2026-11-27T11:00:00+01:00",
                            ends_at="2026-11-27T11:30:00+01:00")
    page = await open_programme(phone, app_server)
    await star_of(page, "Den første").click()
    await star_of(page, "Den anden").click()

    await api.patch(f"api/talks/{second['id']}", json={"starts_at": "2026-11-27T10:10:00+01:00"})
    alert = page.locator("#live-alert .starred-alert")
    await alert.wait_for(timeout=2000)
    assert await alert.locator(".alert__message").inner_text() == (
        "Flyttet: Den anden er nu kl. 10:10 på Testscenen. Overlapper nu med Den første – hvilken vil du følge?")
    await alert.get_by_role("button", name="Følg Den første").click()
    assert await star_of(page, "Den anden").get_attribute("aria-pressed") == "false"
    assert await star_of(page, "Den første").get_attribute("aria-pressed") == "true"
    assert "Du følger Den første." in await alert.inner_text()


async def test_cancelled_talks_stay_struck_through_and_announcements_are_banners(phone, app_server, api):
    talk = await new_talk(api, title="Aflyses")
    page = await open_programme(phone, app_server)
    await api.patch(f"api/talks/{talk['id']}", json={"state": "cancelled"})
    item = page.locator(f"#talk-{talk['id']}")
    await item.locator("[data-part=cancelled]").wait_for(state="visible", timeout=2000)
    assert "Aflyst" in await item.inner_text()
    assert await item.locator(".talk__title a").evaluate(
        "node => getComputedStyle(node).textDecorationLine") == "line-through"
    await page.reload()  # the server's list keeps it too
    assert "Aflyst" in await page.locator(f"#talk-{talk['id']}").inner_text()
    await page.locator('#connection[data-connected="true"]').wait_for(state="attached")

    response = await api.post("api/announcements", json={"title": "Frokosten er klar", "body": "I Hal B",
                                                        "level": "urgent"})
    response.raise_for_status()
    banner = page.locator("#live-alert .banner")
    await banner.wait_for(timeout=2000)
    assert "Frokosten er klar" in await banner.inner_text() and "I Hal B" in await banner.inner_text()
    await banner.get_by_role("button", name="Luk").click()
    assert await banner.count() == 0


async def test_a_moved_talk_takes_its_new_place_in_the_list_shortly_after(phone, app_server, api):
    talk = await new_talk(api, title="Får ny plads")
    page = await open_programme(phone, app_server, "programme")
    await api.patch(f"api/talks/{talk['id']}", json={"starts_at": "2026-11-27T16:05:00+01:00",
                                                     "ends_at": "2026-11-27T16:25:00+01:00"})
    notice = page.locator("#live-polite p")
    await notice.first.wait_for(timeout=2000)
    assert await notice.first.inner_text() == \
        "'Får ny plads' er flyttet til kl. 16:05–16:25 (var kl. 10:00–10:20)"
    heading = page.locator("section.slot", has=page.locator(f"#talk-{talk['id']}")).locator("h2")
    await page.wait_for_function("id => document.querySelector(`#talk-${id}`).closest('section').innerText"
                                 ".startsWith('16:05')", arg=talk["id"], timeout=12000)
    assert await heading.inner_text() == "16:05"
