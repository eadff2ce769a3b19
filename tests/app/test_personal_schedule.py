"""The personal schedule: stars made before signing in survive signing in, stars follow the attendee
from one phone to another, overlapping stars are flagged, and the calendar feed holds exactly the
starred talks and follows the programme."""

from __future__ import annotations

import re

import httpx
from icalendar import Calendar
from playwright.async_api import expect

from tests.app.conftest import personal_link
from tests.app.test_live_alerts import star_of, unstar_of
from tests.live.conftest import eventually, new_talk

SERVER_STARS = "async () => (await (await fetch('/messe13/api/me/stars')).json()).talk_ids"


async def server_stars(page) -> list[int]:
    return await page.evaluate(SERVER_STARS)


async def test_stars_made_before_signing_in_survive_it(phone, app_server, api, database):
    talk = await new_talk(api, title="Stjerne før login")
    page = await (await phone()).new_page()
    await page.goto(app_server.url("programme?view=stage"))
    await star_of(page, "Stjerne før login").click()

    await page.goto(personal_link(app_server, database, 1))
    await page.wait_for_url("**/messe13/?welcome=1")
    assert await eventually(lambda: _contains(server_stars(page), talk["id"]))
    await expect(unstar_of(page, "Stjerne før login")).to_be_visible()
    await page.goto(app_server.url("me/schedule"))
    assert await page.locator(f"#my-schedule [data-talk='{talk['id']}']").count() == 1


async def _contains(ids, talk_id: int) -> bool:
    return talk_id in await ids


async def test_stars_follow_the_attendee_to_another_phone(phone, app_server, api, database):
    first_talk = await new_talk(api, title="Stjernet på telefonen")
    second_talk = await new_talk(api, title="Stjernet på computeren")
    link = personal_link(app_server, database, 2)  # one link, opened on both (a new one would sign the phone out)
    on_phone = await (await phone()).new_page()
    await on_phone.goto(link)
    await on_phone.goto(app_server.url("programme?view=stage"))
    await star_of(on_phone, "Stjernet på telefonen").click()
    assert await eventually(lambda: _contains(server_stars(on_phone), first_talk["id"]))

    on_laptop = await (await phone(viewport={"width": 1280, "height": 900}, is_mobile=False)).new_page()
    await on_laptop.goto(link)
    await on_laptop.goto(app_server.url("me/schedule"))
    await on_laptop.locator(f"#my-schedule [data-talk='{first_talk['id']}']").wait_for()
    await on_laptop.goto(app_server.url("programme?view=stage"))
    await star_of(on_laptop, "Stjernet på computeren").click()
    assert await eventually(lambda: _contains(server_stars(on_laptop), second_talk["id"]))

    await on_phone.goto(app_server.url("me/schedule"))
    for talk in (first_talk, second_talk):
        await on_phone.locator(f"#my-schedule [data-talk='{talk['id']}']").wait_for()


async def test_overlapping_stars_are_flagged(phone, app_server, api):
    first = await new_talk(api, title="Samtidig A")
    await new_talk(api, title="Samtidig B", starts_at="2026-11-27T10:10:00+01:00",
                   ends_at="2026-11-27T10:40:00+01:00")
    page = await (await phone()).new_page()
    await page.goto(app_server.url("programme?view=stage"))
    await star_of(page, "Samtidig A").click()
    await star_of(page, "Samtidig B").click()
    await page.goto(app_server.url("me/schedule"))
    flag = page.locator(f"#my-schedule [data-talk='{first['id']}'] [data-part=overlap]")
    await flag.wait_for()
    assert await flag.inner_text() == "Overlapper med Samtidig B"


async def test_the_calendar_feed_holds_the_starred_talks_and_follows_changes(phone, app_server, api, database):
    kept = await new_talk(api, title="I kalenderen")
    cancelled = await new_talk(api, title="Aflyses i kalenderen", starts_at="2026-11-27T12:00:00+01:00",
                               ends_at="2026-11-27T12:30:00+01:00")
    await new_talk(api, title="Ikke stjernet")
    page = await (await phone()).new_page()
    await page.goto(personal_link(app_server, database, 3))
    await page.goto(app_server.url("programme?view=stage"))
    for title in ("I kalenderen", "Aflyses i kalenderen"):
        await star_of(page, title).click()
    assert await eventually(lambda: _contains(server_stars(page), cancelled["id"]))
    await page.goto(app_server.url("me/schedule"))
    await page.get_by_role("link", name="Føj til kalender").click()
    feed = await page.get_by_label("Adresse til din kalender-app").input_value()
    assert (await page.get_by_role("link", name="Føj til kalender").get_attribute("href")).startswith("webcal://")

    async with httpx.AsyncClient(timeout=10) as calendar_app:  # no session: the address is enough
        events = await _events(calendar_app, feed)
        assert {e["summary"] for e in events.values()} == {"I kalenderen", "Aflyses i kalenderen"}
        starred_talks = set(await server_stars(page))
        assert {int(uid.split("-talk-")[1].split("@")[0]) for uid in events} == starred_talks

        await api.patch(f"api/talks/{kept['id']}", json={"starts_at": "2026-11-27T13:00:00+01:00"})
        await api.patch(f"api/talks/{cancelled['id']}", json={"state": "cancelled"})
        events = await _events(calendar_app, feed)
        moved = next(e for e in events.values() if e["summary"] == "I kalenderen")
        assert moved.decoded("dtstart").isoformat() == "2026-11-27T12:00:00+00:00"
        gone = next(e for e in events.values() if "Aflyses i kalenderen" in e["summary"])
        assert gone["status"] == "CANCELLED"
        assert (await calendar_app.get(feed.replace("/me/", "/me/9"))).status_code == 404  # another attendee


async def _events(client: httpx.AsyncClient, url: str) -> dict:
    response = await client.get(url)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


async def test_a_calendar_file_of_the_phones_stars_before_signing_in(phone, app_server, api):
    await new_talk(api, title="Til kalenderfilen")
    page = await (await phone()).new_page()
    await page.goto(app_server.url("programme?view=stage"))
    await star_of(page, "Til kalenderfilen").click()
    await page.goto(app_server.url("me/schedule"))
    link = page.get_by_role("link", name="Hent som fil (.ics)")
    # The page's script writes the phone's stars into the link once it has read them.
    await expect(link).to_have_attribute("href", re.compile(r"talks=\d"))
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(app_server.base_url + await link.get_attribute("href"))
    summaries = [str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert summaries == ["Til kalenderfilen"]
    assert response.headers["content-disposition"] == 'attachment; filename="mit-program.ics"'
