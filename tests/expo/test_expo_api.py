"""The exhibitor API: anyone reads, organisers write."""

from __future__ import annotations

from tests.conftest import bearer, make_token


async def test_anyone_reads_exhibitors(client, fair):
    response = await client.get("/messe13/api/exhibitors?per_page=200")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 104
    stands = [e["stand"] for e in body["items"]]
    assert len(set(stands)) == 104
    kombit = await client.get("/messe13/api/exhibitors", params={"q": "KOMBIT"})
    assert any(e["name"] == "KOMBIT" for e in kombit.json()["items"])


async def test_organiser_creates_and_edits_exhibitor(client, fair, organiser_token):
    auth = bearer(organiser_token)
    response = await client.post("/messe13/api/exhibitors", headers=auth,
                                 json={"name": "Østjysk Data ApS", "stand": "c99", "hall": "C"})
    assert response.status_code == 201, response.text
    exhibitor = response.json()
    assert exhibitor["stand"] == "C99"
    taken = await client.post("/messe13/api/exhibitors", headers=auth,
                              json={"name": "Kopi", "stand": "C99", "hall": "C"})
    assert taken.status_code == 422 and taken.json()["fields"][0]["field"] == "stand"
    url = f"/messe13/api/exhibitors/{exhibitor['id']}"
    assert (await client.patch(url, headers=auth, json={"website": "ftp://x"})).status_code == 422
    ok = await client.patch(url, headers=auth, json={"website": "https://østjysk.dk"})
    assert ok.status_code == 200 and ok.json()["website"] == "https://østjysk.dk"


async def test_only_organisers_write(client, fair):
    exhibitor_token = await make_token(fair, "door")
    response = await client.post("/messe13/api/exhibitors", headers=bearer(exhibitor_token),
                                 json={"name": "X", "stand": "A1"})
    assert response.status_code == 403
    assert (await client.delete("/messe13/api/exhibitors/1")).status_code == 401
