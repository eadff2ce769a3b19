"""Live on the phone: a starred talk that moves is announced loudly within a second and shows its
new time in place; a move that makes two starred talks overlap offers the choice in one tap;
cancelled talks stay, struck through; announcements appear as banners. Several changes to one talk
make one alert, from its first old time to its last new one; "Luk alle" closes them all; every
choice of a three-way clash is on reach without a scrollbar of the alert area's own, and following
one talk keeps a pair the attendee chose to keep."""

from __future__ import annotations

import time

from playwright.async_api import expect

from tests.accessibility import axe_violations
from tests.live.conftest import new_talk


async def open_programme(phone, server, path: str = "programme?view=stage", **options):
    page = await (await phone(**options)).new_page()
    await page.goto(server.url(path))
    await page.locator('#connection[data-connected="true"]').wait_for(state="attached")
    return page


def star_of(page, title: str):
    """The star of a talk not starred yet, named for what a tap does."""
    return page.get_by_role("button", name=f"Stjernemarkér {title}", exact=True).first


def unstar_of(page, title: str):
    """The star of a starred talk: a tap takes the star away."""
    return page.get_by_role("button", name=f"Fjern stjerne fra {title}", exact=True).first


async def test_a_starred_talk_that_moves_is_announced_within_a_second(phone, app_server, api):
    talk = await new_talk(api, title="Flyttes under messen")
    page = await open_programme(phone, app_server)
    await star_of(page, "Flyttes under messen").click()
    await expect(unstar_of(page, "Flyttes under messen")).to_be_visible()

    started = time.monotonic()
    moved = await api.patch(f"api/talks/{talk['id']}", json={"starts_at": "2026-11-27T14:30:00+01:00"})
    moved.raise_for_status()
    alert = page.locator("#live-alert .starred-alert")
    await alert.wait_for(timeout=1000)
    assert time.monotonic() - started < 1.0
    assert await alert.locator(".alert__message").inner_text() == \
        "Flyttes under messen er flyttet fra 10:00 til 14:30 på Testscenen"
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
        "Den anden er flyttet fra 11:00 til 10:10 på Testscenen. Overlapper nu med Den første – hvilken vil du følge?")
    assert await alert.get_by_role("button", name="Behold begge").count() == 1
    await alert.get_by_role("button", name="Følg Den første").click()
    await expect(star_of(page, "Den anden")).to_be_visible()
    await expect(unstar_of(page, "Den første")).to_be_visible()
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


async def test_repeated_moves_of_one_talk_make_one_alert_from_the_first_old_time(phone, app_server, api):
    starred = await new_talk(api, title="Flyttes tre gange")
    other = await new_talk(api, title="Flyttes også tre gange")
    page = await open_programme(phone, app_server)
    await star_of(page, "Flyttes tre gange").click()
    await page.goto("about:blank")  # the phone is in a pocket while the talks move three times
    for starts in ("10:40", "11:10", "11:40"):
        for talk in (starred, other):
            moved = await api.patch(f"api/talks/{talk['id']}", json={"starts_at": f"2026-11-27T{starts}:00+01:00"})
            moved.raise_for_status()
    await page.goto(app_server.url("programme?view=stage"))  # the socket replays the six changes
    alerts = page.locator("#live-alert .starred-alert")
    await expect(alerts).to_have_text(["Flyttes tre gange er flyttet fra 10:00 til 11:40 på TestscenenLuk"])
    notices = page.locator("#live-polite .notice")
    await expect(notices).to_have_text(
        ["'Flyttes også tre gange' er flyttet til kl. 11:40–12:00 (var kl. 10:00–10:20)Luk"])
    # A fourth move while the page is open joins the same alert.
    await api.patch(f"api/talks/{starred['id']}", json={"starts_at": "2026-11-27T12:15:00+01:00"})
    await expect(alerts).to_have_text(["Flyttes tre gange er flyttet fra 10:00 til 12:15 på TestscenenLuk"])

    # "Luk alle" closes both at once and leaves focus on the page's heading.
    close_all = page.get_by_role("button", name="Luk alle")
    await close_all.click()
    await expect(page.locator("#live .alert")).to_have_count(0)
    await expect(close_all).to_be_hidden()
    assert await page.evaluate("() => document.activeElement.tagName") == "H1"
    # Closed, the next move starts a new alert from where the talk was then.
    await api.patch(f"api/talks/{starred['id']}", json={"starts_at": "2026-11-27T12:30:00+01:00"})
    await expect(alerts).to_have_text(["Flyttes tre gange er flyttet fra 12:15 til 12:30 på TestscenenLuk"])
    await expect(close_all).to_be_hidden()  # one alert: its own "Luk" is enough


EVERY_BUTTON_REACHABLE = """() => {
    const scrolls = (node) => node.scrollHeight > node.clientHeight + 1
        && ["auto", "scroll"].includes(getComputedStyle(node).overflowY);
    const problems = [];
    for (const button of document.querySelectorAll("#live button:not([hidden])")) {
        for (let at = button.parentElement; at && at !== document.body; at = at.parentElement) {
            if (scrolls(at)) problems.push(`${button.textContent} is inside a scrolling ${at.id || at.className}`);
        }
        button.scrollIntoView({ block: "center" });
        const box = button.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        if (!button.contains(hit)) problems.push(`${button.textContent} is covered by ${hit?.outerHTML.slice(0, 80)}`);
    }
    return problems;
}"""


async def test_a_three_way_clash_offers_every_choice_and_following_keeps_a_kept_pair(phone, app_server, api):
    await new_talk(api, title="Klynge A")
    second = await new_talk(api, title="Klynge B", starts_at="2026-11-27T11:00:00+01:00",
                            ends_at="2026-11-27T11:20:00+01:00")
    third = await new_talk(api, title="Klynge C", starts_at="2026-11-27T12:00:00+01:00",
                           ends_at="2026-11-27T12:20:00+01:00")
    page = await open_programme(phone, app_server)
    for title in ("Klynge A", "Klynge B", "Klynge C"):
        await star_of(page, title).click()
    # A and B now clash: the attendee keeps both.
    await api.patch(f"api/talks/{second['id']}", json={"starts_at": "2026-11-27T10:05:00+01:00"})
    pair = page.locator("#live-alert .starred-alert", has_text="Klynge B er flyttet")
    await pair.get_by_role("button", name="Behold begge").click()
    await expect(pair).to_have_count(0)
    # Announcements and a notice fill the area before C joins the clash.
    for title in ("Brand i hal B", "Frokost"):
        await api.post("api/announcements", json={"title": title, "body": "Gå mod udgangene " * 8, "level": "urgent"})
    await api.post("api/announcements", json={"title": "Velkommen", "body": "Kaffen er klar " * 8, "level": "info"})
    await api.patch(f"api/talks/{third['id']}", json={"starts_at": "2026-11-27T10:10:00+01:00"})
    clash = page.locator("#live-alert .starred-alert", has_text="Klynge C er flyttet")
    await expect(clash.locator(".alert__message")).to_have_text(
        "Klynge C er flyttet fra 12:00 til 10:10 på Testscenen. Overlapper nu med Klynge A, Klynge B – "
        "hvilken vil du følge?")
    buttons = clash.get_by_role("button")
    await expect(buttons).to_have_text(["Følg Klynge C", "Følg Klynge A", "Følg Klynge B", "Behold alle", "Luk"])
    assert await page.evaluate(EVERY_BUTTON_REACHABLE) == []
    assert await axe_violations(page) == []

    await clash.get_by_role("button", name="Følg Klynge A").click()
    await expect(clash).to_contain_text("Du følger Klynge A.")
    await expect(unstar_of(page, "Klynge A")).to_be_visible()
    await expect(unstar_of(page, "Klynge B")).to_be_visible()  # kept with A before
    await expect(star_of(page, "Klynge C")).to_be_visible()
