"""The attendee API: organisers only, validated input, nothing half-written."""

from __future__ import annotations

from messe.common.models import AuditEntry
from messe.people.models import Attendee
from tests.conftest import bearer, make_token


async def test_anonymous_and_bad_tokens_get_401(client, fair):
    assert (await client.get("/messe13/api/attendees")).status_code == 401
    response = await client.get("/messe13/api/attendees", headers=bearer("messe_nonsense"))
    assert response.status_code == 401
    assert response.json()["error"] == "Ukendt eller tilbagekaldt token"
    response = await client.get("/messe13/api/attendees", headers={"Authorization": "Basic abc"})
    assert response.status_code == 401


async def test_wrong_role_gets_403(client, fair):
    door = await make_token(fair, "door")
    response = await client.get("/messe13/api/attendees", headers=bearer(door))
    assert response.status_code == 403


async def test_list_is_paginated_and_searchable(client, fair, organiser_token):
    response = await client.get("/messe13/api/attendees?per_page=10&page=2", headers=bearer(organiser_token))
    body = response.json()
    assert response.status_code == 200
    assert body["total"] == 40 and body["page"] == 2 and len(body["items"]) == 10
    someone = body["items"][0]
    found = await client.get("/messe13/api/attendees", params={"q": someone["name"][:6]},
                             headers=bearer(organiser_token))
    assert someone["id"] in [a["id"] for a in found.json()["items"]]
    bad = await client.get("/messe13/api/attendees?per_page=100000", headers=bearer(organiser_token))
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "per_page"


async def test_create_read_update_delete(client, fair, organiser_token):
    auth = bearer(organiser_token)
    created = await client.post("/messe13/api/attendees", headers=auth, json={
        "name": "Łukasz Żółkiewski-Ærø", "email": "lz@aarhus.dk", "organisation": "Aarhus Kommune",
        "role": "presse", "consent_share_contact": True})
    assert created.status_code == 201, created.text
    attendee = created.json()
    assert attendee["name"] == "Łukasz Żółkiewski-Ærø" and attendee["organisation"] == "Aarhus Kommune"
    url = f"/messe13/api/attendees/{attendee['id']}"
    assert (await client.get(url, headers=auth)).json()["email"] == "lz@aarhus.dk"
    patched = await client.patch(url, headers=auth, json={"job_title": "Journalist", "organisation": "Ny Avis"})
    assert patched.status_code == 200 and patched.json()["organisation"] == "Ny Avis"
    assert await AuditEntry.filter(action="attendee.updated", object_id=str(attendee["id"])).exists()
    assert (await client.delete(url, headers=auth)).status_code == 204
    assert (await client.get(url, headers=auth)).status_code == 404


async def test_invalid_fields_are_listed_in_danish_and_english(client, fair, organiser_token):
    before = await Attendee.all().count()
    response = await client.post("/messe13/api/attendees", headers=bearer(organiser_token),
                                 json={"name": "", "email": "ikke-en-mail", "role": "konge", "surprise": 1})
    assert response.status_code == 422  # an unknown key is refused before the values are looked at
    assert response.json()["fields"] == [{"field": "surprise", "message": "Feltet kendes ikke"}]
    response = await client.post("/messe13/api/attendees", headers=bearer(organiser_token),
                                 json={"name": "", "email": "ikke-en-mail", "role": "konge"})
    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.json()["fields"]}
    assert set(fields) == {"name", "email", "role"}
    assert fields["name"] == "Skal være mindst 1 tegn"
    english = await client.post("/messe13/api/attendees", headers={**bearer(organiser_token),
                                "Accept-Language": "en"}, json={"name": ""})
    assert english.json()["fields"][0]["message"] == "Must be at least 1 characters"
    assert await Attendee.all().count() == before


async def test_malformed_json_and_wrong_content_type(client, fair, organiser_token):
    auth = bearer(organiser_token)
    response = await client.post("/messe13/api/attendees", headers={**auth, "Content-Type": "application/json"},
                                 content=b'{"name": ')
    assert response.status_code == 400 and "Ugyldig JSON" in response.json()["error"]
    response = await client.post("/messe13/api/attendees", headers={**auth, "Content-Type": "application/json"},
                                 content=b'{"name": "\xff"}')
    assert response.status_code == 400
    response = await client.post("/messe13/api/attendees", headers={**auth, "Content-Type": "text/plain"},
                                 content=b"hej")
    assert response.status_code == 415


async def test_unknown_and_out_of_range_ids_are_404(client, fair, organiser_token):
    auth = bearer(organiser_token)
    for attendee_id in ("999999", str(2**63), str(2**64 + 5)):
        response = await client.get(f"/messe13/api/attendees/{attendee_id}", headers=auth)
        assert response.status_code == 404, attendee_id
    assert (await client.get("/nosuchevent/api/attendees", headers=auth)).status_code == 404
