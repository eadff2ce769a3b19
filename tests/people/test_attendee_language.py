"""An attendee's language (Danish or English): set by the organiser, the import, the door or the
attendee; it decides the language of their mails and of the app when their link signs them in."""

from __future__ import annotations

from messe.people.domain.accounts import issue_personal_link_token
from messe.people.models import Attendee
from tests.conftest import bearer


async def test_the_api_keeps_an_attendees_language_and_refuses_others(client, fair, organiser_token):
    headers = bearer(organiser_token)
    created = await client.post("/messe13/api/attendees", headers=headers,
                                json={"name": "Jane Doe", "email": "jane@example.org", "language": "en"})
    assert created.status_code == 201 and created.json()["language"] == "en"
    default = await client.post("/messe13/api/attendees", headers=headers, json={"name": "Søren Ørum"})
    assert default.json()["language"] == "da"
    url = f"/messe13/api/attendees/{created.json()['id']}"
    for bad in ("fr", None, 1):
        refused = await client.patch(url, headers=headers, json={"language": bad})
        assert refused.status_code == 422 and refused.json()["fields"][0]["field"] == "language", bad
    assert (await client.patch(url, headers=headers, json={"language": "da"})).json()["language"] == "da"


async def test_the_link_opens_the_app_in_the_attendees_language_unless_the_device_chose(client, fair):
    attendee = await Attendee.filter(event=fair).order_by("id").first()
    attendee.language = "en"
    await attendee.save(update_fields=["language"])
    client.cookies.clear()
    signed_in = await client.get(f"/messe13/link/{await issue_personal_link_token(attendee)}")
    assert signed_in.cookies.get("messe_lang") == "en"
    assert '<html lang="en">' in (await client.get("/messe13/")).text

    client.cookies.clear()
    client.cookies.set("messe_lang", "da")
    again = await client.get(f"/messe13/link/{await issue_personal_link_token(attendee)}")
    assert "messe_lang" not in again.cookies
    assert '<html lang="da">' in (await client.get("/messe13/")).text


async def test_an_attendee_who_switches_language_gets_mails_in_it(client, fair):
    attendee = await Attendee.filter(event=fair).order_by("id").first()
    client.cookies.clear()
    await client.get(f"/messe13/link/{await issue_personal_link_token(attendee)}")
    page = await client.get("/messe13/")
    token = page.text.split('name="csrf-token" content="')[1].split('"')[0]
    switched = await client.post("/language", data={"lang": "en", "next": "/messe13/", "csrf_token": token})
    assert switched.status_code == 303
    assert (await Attendee.get(id=attendee.id)).language == "en"
    assert "English" in (await client.get("/messe13/me/data")).text
