"""At the fair most phones reach messe through the venue Wi-Fi's one NAT address. The limits on
sign-in and personal-link requests are carried by what an attacker must name (the username, the
e-mail address), so 2,000 people behind one address do not lock each other out, and moving from
address to address does not buy an attacker more guesses. X-Forwarded-For is believed only from
the reverse proxies in MESSE_TRUSTED_PROXIES."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest

from messe.config import ConfigError, Settings
from messe.people.domain.accounts import create_account
from messe.web.ratelimit import RateLimiter

PASSWORD = "korrekt-hest-batteri"
VENUE = ("198.51.100.10", 40000)  # the venue Wi-Fi's NAT address


@pytest.fixture
async def venue(app, fair) -> AsyncIterator[httpx.AsyncClient]:
    """A phone on the venue Wi-Fi (each test gets its own cookies)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=VENUE),
                                 base_url="http://testserver") as phone:
        yield phone


async def _csrf(client: httpx.AsyncClient, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', (await client.get(path)).text).group(1)


async def _ask_for_link(client: httpx.AsyncClient, token: str, email: str, **headers: str) -> int:
    response = await client.post("/messe13/link", data={"email": email, "csrf_token": token}, headers=headers)
    return response.status_code


async def test_two_hundred_attendees_behind_the_venue_wifi_can_all_ask_for_their_link(venue):
    token = await _csrf(venue, "/messe13/link")
    statuses = [await _ask_for_link(venue, token, f"deltager{i}@kommune.dk") for i in range(200)]
    assert statuses == [200] * 200


async def test_one_email_asked_for_too_often_is_stopped_without_stopping_the_others(venue):
    token = await _csrf(venue, "/messe13/link")
    statuses = [await _ask_for_link(venue, token, "anne@kommune.dk") for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert await _ask_for_link(venue, token, "ANNE@kommune.dk") == 429  # the same address, however written
    assert await _ask_for_link(venue, token, "bo@kommune.dk") == 200


async def test_guessing_a_password_from_ever_new_addresses_is_still_limited_per_username(app, fair):
    await create_account(fair, "dora", PASSWORD, "door")
    statuses = []
    for attempt in range(11):
        address = (f"203.0.113.{attempt + 1}", 50000)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=address),
                                     base_url="http://testserver") as attacker:
            token = await _csrf(attacker, "/messe13/login")
            response = await attacker.post("/messe13/login", data={"username": "dora", "password": "gæt",
                                                                   "csrf_token": token})
            statuses.append(response.status_code)
    assert statuses == [200] * 10 + [429]
    assert "For mange forsøg" in response.text


# Trusted proxies: a per-address limit of 3 link requests an hour makes "which address is this?"
# visible.


@pytest.fixture
def proxied(app, fair) -> Iterator[Callable[..., None]]:
    """Run the app with the given trusted proxies and a per-address limit of 3 link requests."""
    original = app.state.settings

    def configure(*proxies: str) -> None:
        app.state.settings = dataclasses.replace(original, trusted_proxies=proxies)
        app.state.limiter = RateLimiter(rules={"link-request-address": "3/hour"})

    yield configure
    app.state.settings = original
    app.state.limiter = RateLimiter()


async def test_forwarded_for_is_ignored_without_trusted_proxies(client, fair, proxied):
    proxied()
    token = await _csrf(client, "/messe13/link")
    statuses = [await _ask_for_link(client, token, f"p{i}@kommune.dk", **{"X-Forwarded-For": f"192.0.2.{i}"})
                for i in range(4)]
    assert statuses == [200] * 3 + [429]  # a made-up X-Forwarded-For buys no fresh allowance


async def test_forwarded_for_is_believed_from_a_trusted_proxy_only_for_the_hop_it_added(client, fair, proxied):
    proxied("127.0.0.1")  # the in-process client connects from 127.0.0.1, like nginx on the same machine
    token = await _csrf(client, "/messe13/link")
    one = [await _ask_for_link(client, token, f"a{i}@kommune.dk", **{"X-Forwarded-For": "192.0.2.1"})
           for i in range(4)]
    assert one == [200] * 3 + [429]
    assert await _ask_for_link(client, token, "b@kommune.dk", **{"X-Forwarded-For": "192.0.2.2"}) == 200
    # A client that sends its own X-Forwarded-For: the proxy appends the real address, which counts.
    spoofed = await _ask_for_link(client, token, "c@kommune.dk", **{"X-Forwarded-For": "10.9.9.9, 192.0.2.1"})
    assert spoofed == 429


def test_trusted_proxies_are_read_from_the_environment_and_checked():
    env = {"MESSE_SECRET_KEY": "k" * 32, "MESSE_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8 ::1"}
    assert Settings.from_env(env).trusted_proxies == ("127.0.0.1", "10.0.0.0/8", "::1")
    assert Settings.from_env({"MESSE_SECRET_KEY": "k" * 32}).trusted_proxies == ()
    with pytest.raises(ConfigError, match="MESSE_TRUSTED_PROXIES: 'nginx'"):
        Settings.from_env({**env, "MESSE_TRUSTED_PROXIES": "nginx"})
