"""The service worker renews a subscription the browser replaced (``pushsubscriptionchange``)
by itself, with no page open and no CSRF token: the server then holds the new subscription in
the old one's place. Headless Chromium has no push service, so the test hands the worker the
event's two subscriptions (as a browser does) and dispatches it in the worker."""

from __future__ import annotations

import json
import uuid

from tests.app.conftest import personal_link
from tests.push.conftest import Browser

SUBSCRIBE = """async (subscription) => {
    const response = await fetch("/messe13/api/me/push", {method: "POST", body: JSON.stringify(subscription),
        headers: {"Content-Type": "application/json",
                  "X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content}});
    return response.status;
}"""
# As the browser would: an event with the old and the new PushSubscription (here their toJSON()).
CHANGE = """({old, fresh}) => {
    const subscription = (json) => json && {toJSON: () => json, options: {}};
    const event = new ExtendableEvent("pushsubscriptionchange");
    Object.defineProperties(event, {oldSubscription: {value: subscription(old)},
                                    newSubscription: {value: subscription(fresh)}});
    self.dispatchEvent(event);
}"""


def _endpoints(database, attendee_id: int) -> list[str]:
    return json.loads(database.python(
        "from messe.push.models import PushSubscription\n"
        f"print(__import__('json').dumps(await PushSubscription.filter(attendee_id={attendee_id})"
        ".order_by('id').values_list('endpoint', flat=True)))"))


async def _until(check, page, tries: int = 50):
    for _ in range(tries):
        if check():
            return
        await page.wait_for_timeout(100)
    raise AssertionError("the worker did not renew the subscription")


async def test_the_worker_hands_the_new_subscription_to_the_server(phone, app_server, database):
    attendee = app_server.attendees[9]["id"]
    context = await phone()
    page = await context.new_page()
    await page.goto(personal_link(app_server, database, 9))
    await page.goto(app_server.url("programme"))
    old = Browser.make(f"https://fcm.googleapis.com/fcm/send/old-{uuid.uuid4().hex}")
    assert await page.evaluate(SUBSCRIBE, old.subscription()) == 201
    await page.evaluate("""async () => {
        await navigator.serviceWorker.ready;
        while (!navigator.serviceWorker.controller) await new Promise((resolve) => setTimeout(resolve, 100));
    }""")
    [worker] = [w for w in context.service_workers if w.url.endswith("/messe13/sw.js")]

    fresh = Browser.make(f"https://fcm.googleapis.com/fcm/send/new-{uuid.uuid4().hex}")
    await worker.evaluate(CHANGE, {"old": old.subscription(), "fresh": fresh.subscription()})
    await _until(lambda: _endpoints(database, attendee) == [fresh.endpoint], page)

    # Where the browser leaves the old subscription out, the worker proves the one it last handed over.
    third = Browser.make(f"https://fcm.googleapis.com/fcm/send/third-{uuid.uuid4().hex}")
    await worker.evaluate(CHANGE, {"old": None, "fresh": third.subscription()})
    await _until(lambda: _endpoints(database, attendee) == [third.endpoint], page)


# The browser's own subscription, which headless Chromium (no push service) cannot make.
HELD = """(json) => {
    PushManager.prototype.getSubscription = async () => ({toJSON: () => json, endpoint: json.endpoint});
}"""


async def test_the_app_hands_its_subscription_over_again_once_a_day(phone, app_server, database):
    """A renewal the server never heard (the phone was offline when the browser replaced the
    subscription) is repaired when the app is next opened; more often than once a day it is not sent."""
    attendee = app_server.attendees[11]["id"]
    context = await phone()
    await context.grant_permissions(["notifications"])
    held = Browser.make(f"https://fcm.googleapis.com/fcm/send/held-{uuid.uuid4().hex}")
    await context.add_init_script(f"({HELD})({json.dumps(held.subscription())})")
    page = await context.new_page()
    await page.goto(personal_link(app_server, database, 11))
    await page.goto(app_server.url("programme"))
    await page.evaluate("navigator.serviceWorker.ready")
    await _until(lambda: _endpoints(database, attendee) == [held.endpoint], page)

    posts: list[str] = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    await page.reload()
    await page.wait_for_load_state("networkidle")
    assert not [url for url in posts if url.endswith("/api/me/push")]
    # A day later (as the app's memory has it), it is handed over again.
    await page.evaluate("""() => {
        const name = Object.keys(localStorage).find((key) => key.endsWith(":push-handed"));
        localStorage.setItem(name, JSON.stringify(Date.now() - 25 * 60 * 60 * 1000));
    }""")
    await page.reload()
    await page.wait_for_load_state("networkidle")
    assert [url for url in posts if url.endswith("/api/me/push")]
