"""Door check-in: first scan lets the attendee in, later scans say when and where; counts; walk-ins."""

from __future__ import annotations

import asyncio
import re
import uuid

from messe.checkin.domain.counts import checkin_counts
from messe.checkin.models import CheckIn
from messe.common.models import AuditEntry
from messe.people.domain.accounts import create_account
from messe.people.models import Attendee
from tests.conftest import bearer
from tests.scanning.conftest import badge_payload


def checkin(payload: str, client_id: str | None = None, **fields) -> dict:
    return {"payload": payload, "client_id": client_id or uuid.uuid4().hex, **fields}


async def test_second_check_in_says_already_with_the_first_time(client, visitors, door_token):
    auth = bearer(door_token)
    payload = badge_payload(visitors[0])
    first = await client.post("/messe13/api/checkins", headers=auth, json=checkin(payload, door="Nord"))
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "checked_in"
    second = await client.post("/messe13/api/checkins", headers=auth, json=checkin(payload, door="Syd"))
    assert second.status_code == 200
    body = second.json()
    assert body["status"] == "already_checked_in"
    assert (body["checked_in_at"], body["door"]) == (first.json()["checked_in_at"], "Nord")
    assert body["attendee"]["name"] == visitors[0].name
    assert await CheckIn.filter(attendee_id=visitors[0].id).count() == 1


async def test_two_doors_scanning_one_badge_at_once_let_the_attendee_in_once(client, visitors, door_token,
                                                                             second_door_token):
    payload = badge_payload(visitors[3])
    answers = await asyncio.gather(*(
        client.post("/messe13/api/checkins", headers=bearer(token), json=checkin(payload, door=door))
        for token, door in ((door_token, "Nord"), (second_door_token, "Syd"))))
    assert sorted(a.status_code for a in answers) == [200, 201], [a.text for a in answers]
    assert sorted(a.json()["status"] for a in answers) == ["already_checked_in", "checked_in"]
    assert await CheckIn.filter(attendee_id=visitors[3].id).count() == 1
    entries = await AuditEntry.filter(action="checkin.created", object_id=str(visitors[3].id)).count()
    assert entries == 1


async def test_a_replayed_check_in_is_the_same_check_in(client, visitors, door_token):
    auth = bearer(door_token)
    body = checkin(badge_payload(visitors[1]), "door-phone-1-000001")
    assert (await client.post("/messe13/api/checkins", headers=auth, json=body)).status_code == 201
    replay = await client.post("/messe13/api/checkins", headers=auth, json=body)
    assert replay.status_code == 200 and replay.json()["status"] == "checked_in"
    other = checkin(badge_payload(visitors[2]), "door-phone-1-000001")
    assert (await client.post("/messe13/api/checkins", headers=auth, json=other)).status_code == 409


async def test_refused_badges_are_not_checked_in(client, fair, visitors, door_token):
    auth = bearer(door_token)
    await Attendee.filter(id=visitors[3].id).update(badge_version=3)
    superseded = await client.post("/messe13/api/checkins", headers=auth,
                                   json=checkin(badge_payload(visitors[3], version=2)))
    assert superseded.status_code == 409 and superseded.json()["reason"] == "superseded"
    forged = await client.post("/messe13/api/checkins", headers=auth,
                               json=checkin(badge_payload(visitors[4], secret="not-our-key")))
    assert forged.status_code == 422 and forged.json()["reason"] == "forged"
    await Attendee.filter(id=visitors[5].id).delete()
    gone = await client.post("/messe13/api/checkins", headers=auth, json=checkin(badge_payload(visitors[5])))
    assert gone.status_code == 422 and gone.json()["reason"] == "unknown_attendee"
    assert await CheckIn.filter(event=fair).count() == 0


async def test_only_door_staff_and_organisers_check_in(client, visitors, staff_tokens, organiser_token):
    body = checkin(badge_payload(visitors[0]))
    assert (await client.post("/messe13/api/checkins", headers=bearer(staff_tokens[0]), json=body)).status_code \
        == 403
    assert (await client.post("/messe13/api/checkins", json=body)).status_code == 401
    assert (await client.post("/messe13/api/checkins", headers=bearer(organiser_token), json=body)).status_code \
        == 201


async def test_counts_count_each_attendee_once(client, fair, visitors, door_token):
    auth = bearer(door_token)
    for visitor, door in ((visitors[0], "Nord"), (visitors[1], "Nord"), (visitors[2], "Syd"), (visitors[0], "Syd")):
        await client.post("/messe13/api/checkins", headers=auth, json=checkin(badge_payload(visitor), door=door))
    counts = await checkin_counts(fair)
    assert (counts.checked_in, counts.by_door) == (3, {"Nord": 2, "Syd": 1})
    answer = await client.get("/messe13/api/checkins/counts", headers=auth)
    assert answer.json() == {"checked_in": 3, "registered": counts.registered, "by_door": {"Nord": 2, "Syd": 1}}
    assert counts.registered == await Attendee.filter(event=fair).count()


async def _signed_in(client, fair, username: str, role: str, exhibitor=None) -> str:
    await create_account(fair, username, "korrekt-hest-batteri", role, exhibitor=exhibitor)
    page = await client.get("/messe13/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    await client.post("/messe13/login", data={"username": username, "password": "korrekt-hest-batteri",
                                               "csrf_token": token})
    page = await client.get("/messe13/")  # signing in gave the session a new token
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)


async def test_walk_in_is_registered_checked_in_and_gets_a_badge(client, fair):
    token = await _signed_in(client, fair, "doer", "door")
    page = await client.get("/messe13/checkin/")
    assert page.status_code == 200 and 'id="scan-config"' in page.text
    client_id = re.search(r'name="client_id" value="([^"]+)"', page.text).group(1)
    form = {"csrf_token": token, "client_id": client_id, "door": "Hovedindgang", "name": "Åse Ødegård-Æbelø",
            "organisation": "Ærø Kommune", "email": "aase@aeroe.dk", "consent_share_contact": "on", "language": "en"}
    done = await client.post("/messe13/checkin/walk-in", data=form)
    assert done.status_code == 200, done.text
    attendee = await Attendee.get(name="Åse Ødegård-Æbelø").select_related("organisation")
    assert attendee.organisation.name == "Ærø Kommune" and attendee.consent_share_contact
    assert attendee.language == "en"
    assert attendee.badge_printed_at is not None
    assert f"/messe13/badges/{attendee.id}.pdf" in done.text
    assert (await client.post("/messe13/checkin/walk-in", data=form)).status_code == 200  # pressed twice
    assert await Attendee.filter(name="Åse Ødegård-Æbelø").count() == 1
    assert await CheckIn.filter(attendee_id=attendee.id, door="Hovedindgang").count() == 1
    badge = await client.get(f"/messe13/badges/{attendee.id}.pdf")
    assert badge.status_code == 200 and badge.content.startswith(b"%PDF")


async def test_walk_in_form_lists_what_to_fix(client, fair):
    token = await _signed_in(client, fair, "doer", "door")
    bad = await client.post("/messe13/checkin/walk-in", data={
        "csrf_token": token, "client_id": uuid.uuid4().hex, "name": " ", "email": "ikke-en-adresse"})
    assert bad.status_code == 422
    assert bad.text.count('aria-invalid="true"') == 2
    assert await Attendee.filter(email="ikke-en-adresse").count() == 0


async def test_scanner_pages_need_the_right_role(client, fair, stands):
    assert (await client.get("/messe13/leads/")).headers["location"] == "/messe13/login?next=/messe13/leads/"
    assert (await client.get("/messe13/checkin/")).status_code == 303
    await _signed_in(client, fair, "stand", "exhibitor", exhibitor=stands[0])
    leads = await client.get("/messe13/leads/")
    assert leads.status_code == 200 and stands[0].name in leads.text
    assert (await client.get("/messe13/checkin/")).status_code == 403
