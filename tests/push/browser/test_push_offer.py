"""The offer of push messages on a phone: never on page load, once after the first star, as a
labelled region that passes axe at 390 px; on an iPhone outside the installed app it explains
"Føj til hjemmeskærm". The service worker shows a pushed message and knows where it leads."""

from __future__ import annotations

import json

from tests.accessibility import axe_violations
from tests.app.conftest import personal_link
from tests.app.test_live_alerts import star_of, unstar_of
from tests.live.conftest import new_talk

OFFER = "Få besked, når dit program ændrer sig"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/18.1 Mobile/15E148 Safari/604.1")


async def _signed_in_programme(phone, app_server, database, attendee: int, **options):
    context = await phone(**options)
    page = await context.new_page()
    await page.goto(personal_link(app_server, database, attendee))
    await page.goto(app_server.url("programme?view=stage"))
    return context, page


async def test_the_offer_comes_after_the_first_star_and_only_once(phone, app_server, api, database):
    await new_talk(api, title="Push efter første stjerne")
    _, page = await _signed_in_programme(phone, app_server, database, 5)
    await page.wait_for_timeout(500)
    assert await page.locator("#push-offer").count() == 0  # never on page load
    await star_of(page, "Push efter første stjerne").click()
    offer = page.get_by_role("region", name="Beskeder om dit program")
    await offer.get_by_role("button", name=OFFER).wait_for()
    assert await axe_violations(page) == []
    await offer.get_by_role("button", name="Nej tak").click()
    assert await page.locator("#push-offer").count() == 0
    await page.reload()
    await unstar_of(page, "Push efter første stjerne").click()
    await star_of(page, "Push efter første stjerne").click()
    await page.wait_for_timeout(300)
    assert await page.locator("#push-offer").count() == 0  # once per device


async def test_an_iphone_outside_the_installed_app_is_told_to_add_it_to_the_home_screen(
        phone, app_server, api, database):
    await new_talk(api, title="Push på iPhone")
    _, page = await _signed_in_programme(phone, app_server, database, 6, user_agent=IPHONE)
    await star_of(page, "Push på iPhone").click()
    offer = page.get_by_role("region", name="Beskeder om dit program")
    await offer.get_by_text("Føj til hjemmeskærm", exact=False).wait_for()
    assert await offer.get_by_role("button", name=OFFER).count() == 0
    assert await axe_violations(page) == []


async def test_the_service_worker_shows_a_pushed_message_that_opens_the_talk(phone, app_server, api, database):
    talk = await new_talk(api, title="Vist af service workeren")
    context, page = await _signed_in_programme(phone, app_server, database, 7)
    await context.grant_permissions(["notifications"], origin=app_server.url("").split("/messe13")[0])
    # the worker active and done installing (it saves the programme for offline use first)
    registration = await page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.ready;
        while (!navigator.serviceWorker.controller) await new Promise((resolve) => setTimeout(resolve, 100));
        return registration.scope;
    }""")
    cdp = await context.new_cdp_session(page)
    versions: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: versions.extend(event["registrations"]))
    await cdp.send("ServiceWorker.enable")
    await page.wait_for_timeout(300)
    [registration_id] = {r["registrationId"] for r in versions if r["scopeURL"] == registration}
    message = {"title": "Flyttet: Vist af service workeren", "body": "Nu kl. 11:40 på Sal B (før kl. 10:00 på Sal A)",
               "lang": "da", "tag": f"talk-{talk['id']}", "url": f"/messe13/talks/{talk['id']}"}
    await cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": app_server.url("").split("/messe13")[0], "registrationId": registration_id,
        "data": json.dumps(message)})
    shown = await page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.ready;
        for (let i = 0; i < 150; i++) {
            const found = await registration.getNotifications();
            if (found.length) return found.map((n) => ({title: n.title, body: n.body, url: n.data.url, tag: n.tag}));
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return [];
    }""")
    assert shown == [{"title": message["title"], "body": message["body"], "url": message["url"], "tag": message["tag"]}]
