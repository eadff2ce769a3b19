"""A browser that replaces its push subscription (``pushsubscriptionchange``): its service worker,
with no page and no CSRF token, hands the new one to ``POST /<event>/api/push/renewal`` proving the
old one by its endpoint and auth secret. The new subscription then gets the attendee's pushes; a
request that does not know the old secret changes nothing, and the session-bound routes keep
their CSRF check."""

from __future__ import annotations

import uuid

import httpx

from messe.common.models import Event
from messe.push.domain.keys import b64url
from messe.push.models import PushSubscription
from tests.live.conftest import new_talk
from tests.push.conftest import Browser
from tests.push.test_web_push import _open, _subscribed

RENEWAL = "/messe13/api/push/renewal"


def _renewal(old: Browser, new: Browser, auth: str | None = None) -> dict:
    return {"old": {"endpoint": old.endpoint, "auth": auth or b64url(old.auth)}, "subscription": new.subscription()}


def _worker(app) -> httpx.AsyncClient:
    """The service worker's fetch: same origin, but ``credentials: "omit"``, so no cookie."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_the_new_subscription_replaces_the_old_and_gets_the_next_push(app, client, api, fair, push_service):
    talk = await new_talk(api, title="Efter et nyt abonnement")
    attendee, old, csrf = await _subscribed(client, fair, push_service)
    await client.put(f"/messe13/api/me/stars/{talk['id']}", headers=csrf)
    new = Browser.make(f"{push_service.url}/ok/{uuid.uuid4().hex}")
    async with _worker(app) as worker:
        response = await worker.post(RENEWAL, json=_renewal(old, new))
    assert response.status_code == 200, response.text
    assert response.json() == {"subscriptions": 1}
    assert await PushSubscription.filter(attendee=attendee).values_list("endpoint", flat=True) == [new.endpoint]

    await api.patch(f"/api/talks/{talk['id']}", json={"state": "cancelled"})
    [push] = await push_service.wait_for(new.endpoint.removeprefix(push_service.url))
    assert _open(push, new)["title"] == "Aflyst: Efter et nyt abonnement"  # readable with the new keys only
    assert push_service.to(old.endpoint.removeprefix(push_service.url)) == []


async def test_a_renewal_without_the_old_secret_changes_nothing(app, client, fair, push_service):
    attendee, old, _ = await _subscribed(client, fair, push_service)
    thief = Browser.make("https://fcm.googleapis.com/fcm/send/thief")
    stranger = Browser.make("https://fcm.googleapis.com/fcm/send/never-subscribed")
    async with _worker(app) as worker:
        for forged in (_renewal(old, thief, auth=b64url(thief.auth)), _renewal(stranger, thief)):
            response = await worker.post(RENEWAL, json=forged)
            assert response.status_code == 403
            assert response.json()["error"] == "Det gamle push-abonnement kendes ikke"
        english = await worker.post(f"{RENEWAL}?lang=en", json=_renewal(stranger, thief))
        assert english.json()["error"] == "The old push subscription is not known"
        off_the_list = await worker.post(RENEWAL, json=_renewal(old, Browser.make("https://evil.example.com/x")))
        assert off_the_list.status_code == 422
        assert off_the_list.json()["fields"][0]["field"] == "endpoint"
    assert await PushSubscription.filter(attendee=attendee).values_list("endpoint", flat=True) == [old.endpoint]


async def test_a_renewal_sent_to_another_fair_changes_nothing(app, client, fair, push_service):
    attendee, old, _ = await _subscribed(client, fair, push_service)
    await Event.create(slug="messe12", name="Digitaliseringsmessen 2012", starts_at=fair.starts_at,
                       ends_at=fair.ends_at, is_current=False)
    new = Browser.make("https://fcm.googleapis.com/fcm/send/elsewhere")
    async with _worker(app) as worker:
        response = await worker.post("/messe12/api/push/renewal", json=_renewal(old, new))
    assert response.status_code == 403
    assert response.json()["error"] == "Det gamle push-abonnement kendes ikke"
    assert await PushSubscription.filter(attendee=attendee).values_list("endpoint", flat=True) == [old.endpoint]


async def test_with_the_session_cookie_but_no_csrf_token_every_push_write_is_refused(client, fair, push_service):
    attendee, old, csrf = await _subscribed(client, fair, push_service)
    new = Browser.make("https://fcm.googleapis.com/fcm/send/via-cookie")
    assert (await client.post(RENEWAL, json=_renewal(old, new))).status_code == 403  # the cookie went along
    assert (await client.post("/messe13/api/me/push", json=new.subscription())).status_code == 403
    assert (await client.delete("/messe13/api/me/push")).status_code == 403
    assert await PushSubscription.filter(attendee=attendee).values_list("endpoint", flat=True) == [old.endpoint]
    assert (await client.post(RENEWAL, json=_renewal(old, new), headers=csrf)).status_code == 200
