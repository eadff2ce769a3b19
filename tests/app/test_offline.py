"""Offline: after one visit the programme, the stars, the personal schedule, the exhibitors and the
floor plan open with no network (the service worker); a change made meanwhile arrives, and is
announced, when the connection is back."""

from __future__ import annotations

from playwright.async_api import expect

from tests.app.conftest import personal_link
from tests.app.test_live_alerts import star_of, unstar_of
from tests.live.conftest import eventually, new_talk

SAVED = """async pages => {
  if (!navigator.serviceWorker.controller) return false;
  const cache = await caches.open("messe-app-v1");
  for (const page of pages) if (!(await cache.match(page))) return false;
  return true;
}"""


async def saved_for_offline(page, *paths: str) -> None:
    """Until the service worker controls the page and has saved ``paths``."""
    assert await eventually(lambda: page.evaluate(SAVED, [f"/messe13/{path}" for path in paths]), timeout=20)


async def test_the_app_opens_offline_and_catches_up_when_back(phone, app_server, api):
    talk = await new_talk(api, title="Foredraget uden net")
    context = await phone()
    page = await context.new_page()
    await page.goto(app_server.url("programme?view=stage"))
    await star_of(page, "Foredraget uden net").click()
    await saved_for_offline(page, "programme?view=stage", "me/schedule", "exhibitors", f"talks/{talk['id']}")

    await context.set_offline(True)
    await page.reload()
    await expect(unstar_of(page, "Foredraget uden net")).to_be_visible()
    await page.locator("#connection p").wait_for()
    assert "Ingen forbindelse" in await page.locator("#connection").inner_text()

    await api.patch(f"api/talks/{talk['id']}", json={"starts_at": "2026-11-27T15:00:00+01:00"})
    for path in ("me/schedule", f"talks/{talk['id']}", "exhibitors/map?stand=B3", "programme?view=stage"):
        await page.goto(app_server.url(path))
    await context.set_offline(False)
    alert = page.locator("#live-alert .starred-alert")
    await alert.wait_for(timeout=5000)
    assert "Foredraget uden net er flyttet fra 10:00 til 15:00" in await alert.inner_text()
    assert "15:00–15:20" in await page.locator(f"#talk-{talk['id']}").inner_text()


async def test_saved_pages_show_the_stars_the_plan_and_a_chosen_stand(phone, app_server, api):
    talk = await new_talk(api, title="Gemt til senere")
    context = await phone()
    page = await context.new_page()
    await page.goto(app_server.url(f"talks/{talk['id']}"))
    await star_of(page, "Gemt til senere").click()
    await saved_for_offline(page, "me/schedule", "exhibitors", "exhibitors/map")
    await context.set_offline(True)

    await page.goto(app_server.url("me/schedule"))
    await page.locator(f"#my-schedule [data-talk='{talk['id']}']").wait_for()
    await page.goto(app_server.url("exhibitors/map?stand=B3"))
    assert await page.locator(".floorplan").count() == 3
    await page.locator("#stand-B3").click()  # the exhibitor's page, saved when the app was installed
    await page.get_by_role("button", name="Gem standen i Mit program").click()
    await page.goto(app_server.url("me/schedule"))
    await page.locator("#my-stands li").wait_for()
    await page.goto(app_server.url("exhibitors"))
    await page.get_by_label("Søg efter udstiller eller stand").fill("B3")
    await page.wait_for_function("() => document.querySelectorAll('#exhibitor-list > li:not([hidden])').length === 1")
    await context.set_offline(False)


CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
  }
  return urls;
}"""
CACHED_TEXT = """async () => {
  const texts = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) texts.push(await (await cache.match(request)).text());
  }
  return texts.join("\\n");
}"""


async def test_the_feed_address_is_never_cached_and_signing_out_forgets_the_saved_pages(phone, app_server,
                                                                                        database):
    page = await (await phone()).new_page()
    await page.goto(personal_link(app_server, database, 7))
    await page.goto(app_server.url("me/schedule"))
    await saved_for_offline(page, "me/schedule", "exhibitors")
    await page.get_by_role("link", name="Føj til kalender").click()
    feed = await page.get_by_label("Adresse til din kalender-app").input_value()
    token = feed.split("/me/")[1].split("/")[0]
    await page.goto(app_server.url("me/schedule"))
    await page.goto(app_server.url("exhibitors"))
    assert not [url for url in await page.evaluate(CACHED_URLS) if "me/calendar" in url or token in url]
    assert token not in await page.evaluate(CACHED_TEXT), "no saved page holds the feed's address"

    name = await page.locator(".who").inner_text()
    assert name in await page.evaluate(CACHED_TEXT)  # the saved pages' header names who is signed in

    await page.get_by_role("button", name="Log ud").click()
    await page.wait_for_url(app_server.url(""))
    assert await eventually(lambda: _forgotten(page, name)), "after signing out no saved page names them"


async def _forgotten(page, name: str) -> bool:
    return name not in await page.evaluate(CACHED_TEXT)
