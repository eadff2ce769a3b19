"""The API document says what the API does (issue 14, schemathesis --checks all): what the
document forbids is refused, and what the server refuses the document forbids."""

from __future__ import annotations

from tests.conftest import bearer

EVENT = "/messe13"


async def test_paging_and_search_bounds_are_in_the_document_and_enforced(client, organiser_token):
    document = (await client.get(f"{EVENT}/api/openapi.json")).json()
    listing = {p["name"]: p["schema"] for p in document["paths"][f"{EVENT}/api/attendees"]["get"]["parameters"]}
    assert listing["page"]["maximum"] == 1_000_000 and listing["per_page"]["maximum"] == 200
    assert listing["q"]["maxLength"] == 200
    auth = bearer(organiser_token)
    for params in ({"per_page": ""}, {"page": ""}, {"page": 1_000_001}, {"q": "x" * 201}):
        response = await client.get(f"{EVENT}/api/attendees", params=params, headers=auth)
        assert response.status_code == 422, (params, response.text)
    assert (await client.get(f"{EVENT}/api/attendees", params={"page": 1_000_000, "q": "x" * 200},
                             headers=auth)).status_code == 200
    exhibitors = await client.get(f"{EVENT}/api/exhibitors", params={"q": "x" * 201})
    assert exhibitors.status_code == 422 and "200" in exhibitors.text


async def test_body_types_nulls_and_nul_are_as_the_document_says(client, organiser_token):
    document = (await client.get(f"{EVENT}/api/openapi.json")).json()
    schemas = document["components"]["schemas"]
    attendee_patch = schemas["AttendeePatch"]["properties"]
    assert "anyOf" not in attendee_patch["name"] and attendee_patch["name"]["type"] == "string"
    assert {"type": "null"} in attendee_patch["email"]["anyOf"]  # null empties it
    assert schemas["AttendeeIn"]["properties"]["name"]["pattern"] == "^[^\\u0000]*$"
    assert "Forretningsregler:" in document["paths"][f"{EVENT}/api/stages"]["post"]["description"]
    auth = bearer(organiser_token)
    for body in ({"name": "Ida", "consent_share_contact": 0}, {"name": "Ida\u0000"}):
        response = await client.post(f"{EVENT}/api/attendees", json=body, headers=auth)
        assert response.status_code == 422, (body, response.text)
    stage = await client.post(f"{EVENT}/api/stages", json={"code": "Z9", "name": "Ny", "position": False},
                              headers=auth)
    assert stage.status_code == 422
    created = await client.post(f"{EVENT}/api/attendees", json={"name": "Ida"}, headers=auth)
    assert created.status_code == 201
    patched = await client.patch(f"{EVENT}/api/attendees/{created.json()['id']}", json={"name": None}, headers=auth)
    assert patched.status_code == 422 and patched.json()["fields"] == [{"field": "name", "message": "Skal udfyldes"}]
