"""Sessions can be ended (issue 14, M5): a copied session cookie stops working when its person
signs out, gets a new password or personal link, is stopped, or is signed out everywhere; and the
CSRF token seen before signing in proves nothing afterwards."""

from __future__ import annotations

import re

import httpx
import pytest

from messe.people.domain.accounts import create_account, issue_personal_link_token
from messe.people.models import Account, Attendee

PASSWORD = "korrekt-hest-batteri"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _copy(client: httpx.AsyncClient) -> dict[str, str]:
    """The cookie header a thief who copied the browser's cookies would send."""
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}


async def _token(client: httpx.AsyncClient, path: str = "/messe13/login") -> str:
    return CSRF.search((await client.get(path)).text).group(1)


async def _sign_in(app, username: str, password: str = PASSWORD) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    token = await _token(client)
    response = await client.post("/messe13/login", data={"username": username, "password": password,
                                                         "csrf_token": token})
    assert response.status_code == 303
    return client


async def _attendee_device(app, token: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    assert (await client.get(f"/messe13/link/{token}")).status_code == 303
    return client


async def _opens_admin(app, cookie: dict[str, str]) -> bool:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as other:
        return (await other.get("/messe13/admin/", headers=cookie)).status_code == 200


async def _opens_my_data(app, cookie: dict[str, str]) -> bool:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as other:
        return (await other.get("/messe13/me/data", headers=cookie)).status_code == 200


@pytest.fixture
async def organisers(fair):
    await create_account(fair, "anne", PASSWORD, "organiser", name="Anne Ærø")
    await create_account(fair, "bent", PASSWORD, "organiser", name="Bent Berg")


async def test_a_cookie_copied_before_sign_out_no_longer_opens_the_admin(app, organisers):
    laptop, phone = await _sign_in(app, "anne"), await _sign_in(app, "anne")
    copied = _copy(laptop)
    assert await _opens_admin(app, copied)
    out = await laptop.post("/messe13/logout", data={"csrf_token": await _token(laptop)})
    assert out.status_code == 303
    assert not await _opens_admin(app, copied)
    assert await _opens_admin(app, _copy(phone)), "signing out on one device leaves the others signed in"
    await laptop.aclose()
    await phone.aclose()


async def test_new_password_and_stopping_end_every_earlier_session(app, organisers):
    bent = await _sign_in(app, "bent")
    anne = await _sign_in(app, "anne")
    copied = _copy(anne)
    account = await Account.get(username="anne")
    changed = await bent.post(f"/messe13/admin/accounts/{account.id}/password",
                              data={"csrf_token": await _token(bent), "password": "et-helt-nyt-kodeord"})
    assert changed.status_code == 303, changed.text
    assert not await _opens_admin(app, copied)

    anne_again = await _sign_in(app, "anne", "et-helt-nyt-kodeord")
    copied = _copy(anne_again)
    for active in ("0", "1"):
        response = await bent.post(f"/messe13/admin/accounts/{account.id}/active",
                                   data={"csrf_token": await _token(bent), "active": active, "back": "accounts"})
        assert response.status_code == 303
    assert not await _opens_admin(app, copied), "allowing the account again revives no old session"
    for client in (bent, anne, anne_again):
        await client.aclose()


async def test_the_organiser_sees_and_ends_a_staffers_sessions(app, organisers):
    bent = await _sign_in(app, "bent")
    anne = await _sign_in(app, "anne")
    copied = _copy(anne)
    account = await Account.get(username="anne")
    listing = (await bent.get("/messe13/admin/accounts")).text
    assert "Log anne ud på alle enheder" in listing
    ended = await bent.post(f"/messe13/admin/accounts/{account.id}/sessions/end",
                            data={"csrf_token": await _token(bent)})
    assert ended.status_code == 303
    assert not await _opens_admin(app, copied)
    assert await _opens_admin(app, _copy(bent))
    assert (await Account.get(id=account.id)).sessions_ended_at is not None
    await bent.aclose()
    await anne.aclose()


async def test_a_new_personal_link_ends_the_attendees_sessions(app, fair, organisers):
    attendee = await Attendee.filter(event=fair).first()
    phone = await _attendee_device(app, await issue_personal_link_token(attendee))
    copied = _copy(phone)
    assert await _opens_my_data(app, copied)
    bent = await _sign_in(app, "bent")
    page = await bent.post(f"/messe13/admin/attendees/{attendee.id}/link", data={"csrf_token": await _token(bent)})
    assert page.status_code == 200
    assert not await _opens_my_data(app, copied)
    await phone.aclose()
    await bent.aclose()


async def test_an_attendee_signs_out_everywhere_and_the_organiser_can_too(app, fair, organisers):
    attendee = await Attendee.filter(event=fair).first()
    token = await issue_personal_link_token(attendee)
    phone, laptop = await _attendee_device(app, token), await _attendee_device(app, token)
    out = await phone.post("/messe13/logout/everywhere", data={"csrf_token": await _token(phone, "/messe13/me/data")})
    assert out.status_code == 303
    assert not await _opens_my_data(app, _copy(laptop))
    assert not await _opens_my_data(app, _copy(phone))

    laptop = await _attendee_device(app, token)  # the personal link itself still works
    bent = await _sign_in(app, "bent")
    form = (await bent.get(f"/messe13/admin/attendees/{attendee.id}")).text
    assert "Sidst logget ind" in form and f"Log {attendee.name} ud på alle enheder" in form
    ended = await bent.post(f"/messe13/admin/attendees/{attendee.id}/sessions/end",
                            data={"csrf_token": await _token(bent)})
    assert ended.status_code == 303
    assert not await _opens_my_data(app, _copy(laptop))
    for client in (phone, laptop, bent):
        await client.aclose()


async def test_the_csrf_token_from_before_signing_in_is_refused_afterwards(app, organisers):
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    before = await _token(client)
    response = await client.post("/messe13/login", data={"username": "anne", "password": PASSWORD,
                                                         "csrf_token": before})
    assert response.status_code == 303
    after = await _token(client)
    assert after != before
    stale = await client.post("/messe13/logout", data={"csrf_token": before})
    assert stale.status_code == 403
    assert await _opens_admin(app, _copy(client))
    await client.aclose()
