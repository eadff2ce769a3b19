"""The lead API: idempotent scans, badge refusals, and each exhibitor seeing only its own leads."""

from __future__ import annotations

import asyncio
import uuid

from messe.badges.domain import base45
from messe.badges.domain.tokens import PREFIX, encode_body
from messe.expo.models import Lead
from messe.people.models import Attendee
from tests.conftest import bearer
from tests.scanning.conftest import badge_payload


def tampered(genuine: str, attendee: Attendee, name: str) -> str:
    """``genuine`` with the name edited and the genuine signature kept."""
    signature = base45.decode(genuine[len(PREFIX):])[-64:]
    body = encode_body(attendee.id, attendee.badge_version, "messe13", name, attendee.organisation.name)
    return PREFIX + base45.encode(body + signature)


def scan(payload: str, client_id: str | None = None, **fields) -> dict:
    return {"payload": payload, "client_id": client_id or uuid.uuid4().hex, **fields}


async def test_first_scan_creates_a_lead_and_repeats_return_it(client, visitors, staff_tokens):
    auth = bearer(staff_tokens[0])
    payload = badge_payload(visitors[0])
    first = await client.post("/messe13/api/leads", headers=auth, json=scan(payload, "phone-1-scan-1"))
    assert first.status_code == 201, first.text
    lead = first.json()
    assert lead["attendee"]["name"] == visitors[0].name
    assert first.headers["location"] == f"/messe13/api/leads/{lead['id']}"

    replay = await client.post("/messe13/api/leads", headers=auth, json=scan(payload, "phone-1-scan-1"))
    assert replay.status_code == 200 and replay.json()["id"] == lead["id"]

    other_phone = await client.post("/messe13/api/leads", headers=auth, json=scan(
        payload, "phone-2-scan-1", notes="Vil have en demo", rating=4, tags=["Demo"]))
    assert other_phone.status_code == 200
    merged = other_phone.json()
    assert merged["id"] == lead["id"] and merged["client_id"] == "phone-1-scan-1"
    assert (merged["notes"], merged["rating"], merged["tags"]) == ("Vil have en demo", 4, ["Demo"])

    again = await client.post("/messe13/api/leads", headers=auth, json=scan(
        payload, "phone-2-scan-1", notes="Vil have en demo", rating=4, tags=["Demo"]))
    assert again.json()["notes"] == "Vil have en demo"
    assert await Lead.filter(attendee_id=visitors[0].id).count() == 1


async def test_simultaneous_first_scans_make_one_lead(client, visitors, staff_tokens):
    payload = badge_payload(visitors[1])
    answers = await asyncio.gather(*(
        client.post("/messe13/api/leads", headers=bearer(staff_tokens[0]), json=scan(payload)) for _ in range(6)))
    assert sorted(a.status_code for a in answers) == [200] * 5 + [201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert await Lead.filter(attendee_id=visitors[1].id).count() == 1


async def test_refused_badges_each_say_why(client, fair, visitors, staff_tokens):
    auth = bearer(staff_tokens[0])
    visitor = visitors[2]
    genuine = badge_payload(visitor)
    cases = {
        "malformed": ("https://example.com/not-a-badge", 422),
        "forged": (badge_payload(visitor, secret="someone-elses-key"), 422),
        "tampered": (tampered(genuine, visitor, "Mallory Mallorysen"), 422),
        "other_event": (badge_payload(visitor, slug="messe12"), 422),
    }
    await Attendee.filter(id=visitors[3].id).update(badge_version=2)
    cases["superseded"] = (badge_payload(visitors[3], version=1), 409)

    messages = {}
    for reason, (payload, status) in cases.items():
        answer = await client.post("/messe13/api/leads", headers=auth, json=scan(payload))
        assert answer.status_code == status, (reason, answer.text)
        assert answer.json()["reason"] == reason
        messages[reason] = answer.json()["error"]
        english = await client.post("/messe13/api/leads", headers={**auth, "Accept-Language": "en"},
                                    json=scan(payload))
        assert english.json()["error"] != messages[reason], reason
    assert len(set(messages.values())) == len(cases)
    assert "messe12" in messages["other_event"]
    assert "version 2" in messages["superseded"]
    assert await Lead.filter(event=fair).count() == 0


async def test_exhibitor_never_sees_another_exhibitors_leads(client, visitors, staff_tokens):
    a, b = (bearer(t) for t in staff_tokens)
    created = await client.post("/messe13/api/leads", headers=a, json=scan(badge_payload(visitors[0]),
                                                                             notes="Hemmelig note"))
    lead_id = created.json()["id"]
    assert (await client.get("/messe13/api/leads", headers=b)).json()["total"] == 0
    assert (await client.get(f"/messe13/api/leads/{lead_id}", headers=b)).status_code == 404
    edit = await client.patch(f"/messe13/api/leads/{lead_id}", headers=b, json={"notes": "overskrevet"})
    assert edit.status_code == 404
    for export in ("export.csv", "export.xlsx"):
        answer = await client.get(f"/messe13/api/leads/{export}", headers=b)
        assert answer.status_code == 200
        assert visitors[0].name.encode() not in answer.content and b"Hemmelig" not in answer.content
    mine = await client.get(f"/messe13/api/leads/{lead_id}", headers=a)
    assert mine.json()["notes"] == "Hemmelig note"


async def test_only_exhibitor_staff_read_leads(client, fair, door_token, organiser_token):
    assert (await client.get("/messe13/api/leads", headers=bearer(door_token))).status_code == 403
    assert (await client.get("/messe13/api/leads/export.csv", headers=bearer(door_token))).status_code == 403
    assert (await client.get("/messe13/api/leads", headers=bearer(organiser_token))).status_code == 403
    assert (await client.get("/messe13/api/leads")).status_code == 401


async def test_editing_a_lead_checks_rating_and_tags(client, stands, visitors, staff_tokens):
    auth = bearer(staff_tokens[0])
    lead = (await client.post("/messe13/api/leads", headers=auth, json=scan(badge_payload(visitors[0])))).json()
    url = f"/messe13/api/leads/{lead['id']}"
    tag = stands[0].lead_tags[0]
    ok = await client.patch(url, headers=auth, json={"notes": " Ring i januar ", "rating": 5, "tags": [tag, tag]})
    assert ok.status_code == 200, ok.text
    assert (ok.json()["notes"], ok.json()["rating"], ok.json()["tags"]) == ("Ring i januar", 5, [tag])
    bad = await client.patch(url, headers=auth, json={"rating": 6, "tags": ["Ikke vores tag"]})
    assert bad.status_code == 422 and {f["field"] for f in bad.json()["fields"]} == {"rating"}
    unknown = await client.patch(url, headers=auth, json={"tags": ["Ikke vores tag"]})
    assert unknown.status_code == 422 and "Ikke vores tag" in unknown.json()["fields"][0]["message"]
    assert (await client.patch("/messe13/api/leads/99999999999", headers=auth, json={})).status_code == 404


async def test_contact_details_only_with_consent(client, visitors, staff_tokens):
    auth = bearer(staff_tokens[0])
    shy, open_ = visitors[4], visitors[5]
    await Attendee.filter(id=shy.id).update(consent_share_contact=False, email="shy@example.dk")
    await Attendee.filter(id=open_.id).update(consent_share_contact=True, email="aaben@example.dk", phone="+45 12")
    hidden = (await client.post("/messe13/api/leads", headers=auth, json=scan(badge_payload(shy)))).json()
    shown = (await client.post("/messe13/api/leads", headers=auth, json=scan(badge_payload(open_)))).json()
    assert (hidden["attendee"]["contact_shared"], hidden["attendee"]["email"], hidden["attendee"]["phone"]) == (
        False, None, None)
    assert (shown["attendee"]["contact_shared"], shown["attendee"]["email"]) == (True, "aaben@example.dk")


async def test_a_client_id_names_one_scan(client, visitors, staff_tokens):
    auth = bearer(staff_tokens[0])
    await client.post("/messe13/api/leads", headers=auth, json=scan(badge_payload(visitors[0]), "same-id-123"))
    reused = await client.post("/messe13/api/leads", headers=auth, json=scan(badge_payload(visitors[1]), "same-id-123"))
    assert reused.status_code == 409

