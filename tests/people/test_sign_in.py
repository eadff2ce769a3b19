"""Signing in: staff by password (argon2), attendees by personal link; CSRF on every form."""

from __future__ import annotations

import re

from messe.people.domain.accounts import create_account, issue_personal_link_token
from messe.people.models import Account, Attendee


async def _csrf(client, path: str) -> str:
    page = await client.get(path)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


async def test_organiser_signs_in_and_out(client, fair):
    await create_account(fair, "anne", "korrekt-hest-batteri", "organiser", name="Anne Ærø")
    account = await Account.get(username="anne")
    assert account.password_hash.startswith("$argon2id$")
    token = await _csrf(client, "/messe13/login")
    wrong = await client.post("/messe13/login", data={"username": "anne", "password": "forkert",
                                                      "csrf_token": token})
    assert wrong.status_code == 200 and "Forkert brugernavn eller adgangskode" in wrong.text
    ok = await client.post("/messe13/login", data={"username": "anne", "password": "korrekt-hest-batteri",
                                                   "csrf_token": token})
    assert ok.status_code == 303 and ok.headers["location"] == "/messe13/admin/"
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    page = await client.get("/messe13/login")
    assert "Anne Ærø" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    out = await client.post("/messe13/logout", data={"csrf_token": token})
    assert out.status_code == 303
    assert "Anne Ærø" not in (await client.get("/messe13/login")).text


async def test_forms_without_csrf_token_are_refused(client, fair):
    await create_account(fair, "bo", "korrekt-hest-batteri", "door")
    await client.get("/messe13/login")
    response = await client.post("/messe13/login", data={"username": "bo", "password": "korrekt-hest-batteri"})
    assert response.status_code == 403
    assert "CSRF" in response.text


async def test_personal_link_signs_in_attendee_and_new_link_revokes_old(client, fair):
    attendee = await Attendee.filter(event=fair).first()
    old = await issue_personal_link_token(attendee)
    new = await issue_personal_link_token(attendee)
    assert (await client.get(f"/messe13/link/{old}")).status_code == 404
    response = await client.get(f"/messe13/link/{new}")
    assert response.status_code == 303
    page = await client.get("/messe13/login")
    assert attendee.name in page.text


async def test_redirect_after_login_stays_on_site(client, fair):
    await create_account(fair, "cai", "korrekt-hest-batteri", "door")
    token = await _csrf(client, "/messe13/login")
    response = await client.post("/messe13/login", data={
        "username": "cai", "password": "korrekt-hest-batteri", "csrf_token": token,
        "next": "//evil.example/phish"})
    assert response.headers["location"] == "/messe13/checkin/"


async def test_language_switch_and_lang_attribute(client, fair):
    page = await client.get("/messe13/login")
    assert '<html lang="da">' in page.text and "Log ind" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    switched = await client.post("/language", data={"lang": "en", "next": "/messe13/login", "csrf_token": token})
    assert switched.status_code == 303
    page = await client.get("/messe13/login")
    assert '<html lang="en">' in page.text and "Sign in" in page.text


async def test_error_pages_in_the_visitors_language(client, fair):
    page = await client.get("/messe13/no-such-page")
    assert page.status_code == 404 and "Siden findes ikke" in page.text
    page = await client.get("/messe13/no-such-page?lang=en")
    assert page.status_code == 404 and "Page not found" in page.text
    assert '<html lang="en">' in page.text


async def test_password_guessing_is_slowed_down(client, fair):
    await create_account(fair, "dora", "korrekt-hest-batteri", "door")
    token = await _csrf(client, "/messe13/login")
    statuses = []
    for _ in range(11):
        response = await client.post("/messe13/login", data={"username": "dora", "password": "gæt",
                                                             "csrf_token": token})
        statuses.append(response.status_code)
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert "For mange forsøg" in response.text
