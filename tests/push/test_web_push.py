"""Web Push end to end: a browser subscribes, a starred talk moves, and a real push service on
127.0.0.1 receives one push it can authenticate (VAPID, against the published key) and the
browser can decrypt (aes128gcm, with its own key) naming the talk and its old and new time."""

from __future__ import annotations

import base64
import json
import time
import uuid

import http_ece
from py_vapid import Vapid02

from messe.people.models import Attendee
from messe.push.models import PushSubscription
from tests.live.conftest import eventually, new_talk
from tests.people.test_stars import _sign_in
from tests.push.conftest import Browser, Received


def _claims(jwt: str) -> dict:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _open(push: Received, browser: Browser) -> dict:
    """What the service worker would get, after checking the push as the push service does."""
    assert push.headers["Content-Encoding"] == "aes128gcm"
    return json.loads(http_ece.decrypt(push.body, private_key=browser.key, auth_secret=browser.auth,
                                       version="aes128gcm"))


def _check_vapid(push: Received, public_key: str, audience: str) -> None:
    authorization = push.headers["Authorization"]
    assert Vapid02.verify(authorization)  # the token's signature, by the key it names
    parts = dict(p.split("=", 1) for p in authorization.split(" ", 1)[1].split(","))
    assert parts["k"] == public_key  # ...which is the key the app publishes
    claims = _claims(parts["t"])
    assert claims["aud"] == audience and claims["sub"].startswith("mailto:") and claims["exp"] > time.time()


async def _subscribed(client, fair, push_service, mode: str = "ok", language: str = "da"):
    attendee = await Attendee.filter(event=fair).first()
    attendee.language = language
    await attendee.save(update_fields=["language"])
    csrf = {"X-CSRF-Token": await _sign_in(client, attendee)}
    browser = Browser.make(f"{push_service.url}/{mode}/{uuid.uuid4().hex}")
    response = await client.post("/messe13/api/me/push", json=browser.subscription(), headers=csrf)
    assert response.status_code == 201, response.text
    return attendee, browser, csrf


async def test_a_moved_starred_talk_reaches_the_browser_as_one_push_it_can_read(client, api, fair, push_service):
    talk = await new_talk(api, title="Kunstig intelligens i kommunen")
    _, browser, csrf = await _subscribed(client, fair, push_service)
    assert (await client.put(f"/messe13/api/me/stars/{talk['id']}", headers=csrf)).status_code == 200
    public_key = (await client.get("/messe13/api/push-key")).json()["public_key"]
    assert len(base64.urlsafe_b64decode(public_key + "=")) == 65 and "=" not in public_key

    stage = (await api.post("/api/stages", json={"code": f"s{uuid.uuid4().hex[:6]}", "name": "Sal B"})).json()
    moved = await api.patch(f"/api/talks/{talk['id']}", json={
        "starts_at": "2026-11-27T11:40:00+01:00", "ends_at": "2026-11-27T12:00:00+01:00", "stage_id": stage["id"]})
    assert moved.status_code == 200

    [push] = await push_service.wait_for(browser.endpoint.removeprefix(push_service.url))
    _check_vapid(push, public_key, push_service.url)
    message = _open(push, browser)
    assert message["title"] == "Flyttet: Kunstig intelligens i kommunen"
    assert message["body"] == "Nu kl. 11:40 på Sal B (før kl. 10:00 på Testscenen)"
    assert message["url"] == f"/messe13/talks/{talk['id']}"
    assert message["before"]["start"] == "10:00" and message["after"]["start"] == "11:40"


async def test_the_push_is_in_the_attendees_language_and_a_cancellation_says_when_it_was(
        client, api, fair, push_service):
    talk = await new_talk(api, title="Data i region")
    _, browser, csrf = await _subscribed(client, fair, push_service, language="en")
    await client.put(f"/messe13/api/me/stars/{talk['id']}", headers=csrf)
    await api.patch(f"/api/talks/{talk['id']}", json={"state": "cancelled"})
    [push] = await push_service.wait_for(browser.endpoint.removeprefix(push_service.url))
    message = _open(push, browser)
    assert (message["lang"], message["title"]) == ("en", "Cancelled: Data i region")
    assert message["body"] == "Was due at 10:00 on Testscenen"


async def test_an_attendee_who_did_not_star_the_talk_gets_no_push(client, api, fair, push_service):
    talk = await new_talk(api)
    other = await new_talk(api)
    _, browser, csrf = await _subscribed(client, fair, push_service)
    await client.put(f"/messe13/api/me/stars/{other['id']}", headers=csrf)
    await api.patch(f"/api/talks/{talk['id']}", json={"starts_at": "2026-11-27T11:00:00+01:00",
                                                      "ends_at": "2026-11-27T11:20:00+01:00"})
    await api.patch(f"/api/talks/{other['id']}", json={"title": "Kun titlen er ny"})
    await api.post("/api/announcements", json={"title": "Kaffe i hal C", "talk_id": talk["id"]})
    await api.post("/api/announcements", json={"title": "Alle: frokost kl. 12", "level": "urgent"})
    [push] = await push_service.wait_for(browser.endpoint.removeprefix(push_service.url))
    assert _open(push, browser)["title"] == "Vigtigt: Alle: frokost kl. 12"


async def test_a_410_from_the_push_service_removes_the_subscription(client, api, fair, push_service):
    talk = await new_talk(api)
    _, browser, csrf = await _subscribed(client, fair, push_service, mode="gone")
    await client.put(f"/messe13/api/me/stars/{talk['id']}", headers=csrf)
    assert await PushSubscription.exists(endpoint=browser.endpoint)
    await api.patch(f"/api/talks/{talk['id']}", json={"state": "cancelled"})
    await push_service.wait_for(browser.endpoint.removeprefix(push_service.url))

    async def gone() -> bool:
        return not await PushSubscription.exists(endpoint=browser.endpoint)

    assert await eventually(gone, 5, 0.02)


async def test_a_busy_push_service_gets_the_push_again(client, api, fair, push_service):
    talk = await new_talk(api)
    _, browser, csrf = await _subscribed(client, fair, push_service, mode="busy")
    await client.put(f"/messe13/api/me/stars/{talk['id']}", headers=csrf)
    await api.patch(f"/api/talks/{talk['id']}", json={"state": "cancelled"})
    first, second = await push_service.wait_for(browser.endpoint.removeprefix(push_service.url), 2)
    assert _open(first, browser) == _open(second, browser)


async def test_a_hanging_push_service_does_not_delay_the_move(client, api, fair, push_service):
    talk = await new_talk(api)
    _, browser, csrf = await _subscribed(client, fair, push_service, mode="hang")
    await client.put(f"/messe13/api/me/stars/{talk['id']}", headers=csrf)
    path = browser.endpoint.removeprefix(push_service.url)
    await api.patch(f"/api/talks/{talk['id']}", json={"title": "Først en titel"})  # warm up, no push
    started = time.monotonic()
    moved = await api.patch(f"/api/talks/{talk['id']}", json={"starts_at": "2026-11-27T11:00:00+01:00",
                                                              "ends_at": "2026-11-27T11:20:00+01:00"})
    took = time.monotonic() - started
    assert moved.status_code == 200
    await push_service.wait_for(path)  # the push service has it, and never answers
    again = await api.patch(f"/api/talks/{talk['id']}", json={"starts_at": "2026-11-27T12:00:00+01:00",
                                                              "ends_at": "2026-11-27T12:20:00+01:00"})
    assert again.status_code == 200 and took < 0.5
