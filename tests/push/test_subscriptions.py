"""Who may subscribe, and which subscriptions messe refuses: only a push service's https address
on the allowlist, with keys of the right size; the refusal in the attendee's language."""

from __future__ import annotations

import pytest

from messe.config import ConfigError, Settings, parse_push_hosts
from messe.people.domain.privacy import erase_attendee
from messe.people.models import Attendee
from messe.push.domain.keys import public_key, vapid_signer
from messe.push.models import PushSubscription
from tests.conftest import TEST_SECRET
from tests.people.test_stars import _sign_in
from tests.push.conftest import Browser


async def _signed_in(client, fair) -> tuple[Attendee, dict[str, str]]:
    attendee = await Attendee.filter(event=fair).first()
    return attendee, {"X-CSRF-Token": await _sign_in(client, attendee)}


@pytest.mark.parametrize(("endpoint", "danish", "english"), [
    ("https://evil.example.com/push/1", "evil.example.com er ikke en push-tjeneste, som messe sender til",
     "evil.example.com is not a push service messe sends to"),
    ("https://fcm.googleapis.com.evil.example/x", "fcm.googleapis.com.evil.example er ikke en push-tjeneste, "
     "som messe sender til", "fcm.googleapis.com.evil.example is not a push service messe sends to"),
    ("https://fcm.googleapis.com:8443/x", "fcm.googleapis.com er ikke en push-tjeneste, som messe sender til",
     "fcm.googleapis.com is not a push service messe sends to"),
    ("http://fcm.googleapis.com/x", "Skal være en https-adresse", "Must be an https address"),
    ("http://10.0.0.1/x", "Skal være en https-adresse", "Must be an https address"),
    ("https://user@fcm.googleapis.com/x", "Skal være en webadresse", "Must be a web address"),
])
async def test_an_endpoint_off_the_allowlist_is_refused_in_both_languages(client, fair, endpoint, danish, english):
    _, csrf = await _signed_in(client, fair)
    body = Browser.make(endpoint).subscription()
    response = await client.post("/messe13/api/me/push", json=body, headers=csrf)
    assert response.status_code == 422
    assert response.json()["error"] == "Push-abonnementet kan ikke bruges"
    assert response.json()["fields"] == [{"field": "endpoint", "message": danish}]
    english_answer = await client.post("/messe13/api/me/push?lang=en", json=body, headers=csrf)
    assert english_answer.json()["fields"] == [{"field": "endpoint", "message": english}]
    assert not await PushSubscription.exists()


async def test_keys_of_the_wrong_size_are_refused(client, fair):
    _, csrf = await _signed_in(client, fair)
    body = Browser.make("https://fcm.googleapis.com/fcm/send/abc").subscription()
    body["keys"] = {"p256dh": body["keys"]["p256dh"][:-4], "auth": "c2hvcnQ"}
    response = await client.post("/messe13/api/me/push", json=body, headers=csrf)
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["fields"]] == ["keys.p256dh", "keys.auth"]


async def test_subscribe_on_two_browsers_remove_one_then_all(client, fair):
    attendee, csrf = await _signed_in(client, fair)
    phone = Browser.make("https://fcm.googleapis.com/fcm/send/phone")
    laptop = Browser.make("https://web.push.apple.com/laptop")
    for browser in (phone, laptop, phone):
        response = await client.post("/messe13/api/me/push", json=browser.subscription(), headers=csrf)
        assert response.status_code == 201
    assert response.json() == {"subscriptions": 2}
    one = await client.request("DELETE", "/messe13/api/me/push", json={"endpoint": phone.endpoint}, headers=csrf)
    assert one.json() == {"subscriptions": 1}
    assert await PushSubscription.filter(attendee=attendee).values_list("endpoint", flat=True) == [laptop.endpoint]
    everything = await client.delete("/messe13/api/me/push", headers=csrf)
    assert everything.json() == {"subscriptions": 0}


async def test_erasing_an_attendee_forgets_their_browsers(client, fair):
    attendee, csrf = await _signed_in(client, fair)
    body = Browser.make("https://fcm.googleapis.com/fcm/send/erased").subscription()
    assert (await client.post("/messe13/api/me/push", json=body, headers=csrf)).status_code == 201
    await erase_attendee(attendee, "test")
    assert not await PushSubscription.exists()


async def test_only_a_signed_in_attendee_with_the_csrf_token_subscribes(client, fair):
    await _signed_in(client, fair)
    body = Browser.make("https://fcm.googleapis.com/fcm/send/x").subscription()
    assert (await client.post("/messe13/api/me/push", json=body)).status_code == 403
    client.cookies.clear()
    assert (await client.post("/messe13/api/me/push", json=body)).status_code in (401, 403)
    assert (await client.get("/messe13/api/push-key")).status_code == 200
    assert not await PushSubscription.exists()


def test_the_vapid_key_comes_from_the_secret_or_the_configuration():
    derived = public_key(vapid_signer(TEST_SECRET))
    assert derived == public_key(vapid_signer(TEST_SECRET))  # every worker, every restart
    assert derived != public_key(vapid_signer(TEST_SECRET + "x"))
    configured = "Ck8OvyJa0Q5Wx3WaVXodCGOWbBpRPp4dlQeYDhdQQbE"
    assert public_key(vapid_signer(TEST_SECRET, configured)) != derived
    with pytest.raises(ConfigError, match="MESSE_VAPID_PRIVATE_KEY"):
        vapid_signer(TEST_SECRET, "not a key")


def test_push_hosts_plain_http_only_for_a_loopback_address():
    assert parse_push_hosts("") == Settings.push_hosts
    assert parse_push_hosts("fcm.googleapis.com, http://127.0.0.1") == ("fcm.googleapis.com", "http://127.0.0.1")
    for bad in ("http://10.0.0.1", "http://push.example.com", "https://x.example", "*.*.example"):
        with pytest.raises(ConfigError, match="MESSE_PUSH_HOSTS"):
            parse_push_hosts(bad)
