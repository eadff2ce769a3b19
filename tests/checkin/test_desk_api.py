"""The door desk's API: find a registered person, check them in by hand (the same answers as a
scan), and which people door staff may then serve."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from messe.checkin.domain import desk
from messe.checkin.models import CheckIn, DeskGrant
from messe.common.models import AuditEntry
from messe.people.models import Attendee
from tests.conftest import bearer
from tests.scanning.conftest import badge_payload

SEARCH = "/messe13/api/checkins/search"
CHECKINS = "/messe13/api/checkins"


async def found(client, token: str, q: str) -> list[dict]:
    answer = await client.get(SEARCH, params={"q": q}, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def by_hand(attendee_id: int, client_id: str | None = None, **fields) -> dict:
    return {"attendee_id": attendee_id, "client_id": client_id or uuid.uuid4().hex, **fields}


@pytest.mark.parametrize(("typed", "key"), [
    ("åse", "aase"), ("AASE", "aase"), ("ase odegard", "aase"), ("oedegaard", "aase"), ("Ødegård", "aase"),
    ("nguyen", "aase"), ("aero kommune", "aase"), ("ærø", "aase"), ("aase@aeroe", "aase"),
    ("дмитрий", "dmitri"), ("ИВАНОВ", "dmitri"), ("王伟", "wang"), ("lukasz zolc", "lukasz"), ("ŻÓŁĆ", "lukasz"),
])
async def test_search_finds_people_whatever_the_case_and_accents(client, desk_people, door_token, typed, key):
    names = [item["name"] for item in await found(client, door_token, typed)]
    assert desk_people[key].name in names


async def test_search_shows_only_what_the_badge_prints_and_the_check_in_state(client, desk_people, door_token):
    aase = desk_people["aase"]
    [item] = await found(client, door_token, "aase@aeroe.dk")
    assert item == {"attendee_id": aase.id, "name": aase.name, "organisation": "Ærø Kommune",
                    "checked_in_at": None, "badge_version": 1}
    checked = await client.post(CHECKINS, headers=bearer(door_token), json=by_hand(aase.id))
    assert checked.status_code == 201
    [item] = await found(client, door_token, "aase@aeroe.dk")
    assert item["checked_in_at"] == checked.json()["checked_in_at"]
    assert set(item) == {"attendee_id", "name", "organisation", "checked_in_at", "badge_version"}


async def test_names_that_start_with_the_words_come_first_and_results_are_bounded(client, fair, door_token):
    for n in range(desk.MAX_RESULTS + 5):
        await Attendee.create(event=fair, name=f"Zeta Kristensen {n:02}")
    await Attendee.create(event=fair, name="Kristensen Zeta")
    items = await found(client, door_token, "kristensen")
    assert len(items) == desk.MAX_RESULTS
    assert items[0]["name"] == "Kristensen Zeta"


async def test_erased_people_are_not_found(client, desk_people, door_token):
    await Attendee.filter(id=desk_people["wang"].id).update(erased_at=datetime.now(UTC))
    assert await found(client, door_token, "王伟") == []


async def test_a_short_or_missing_query_is_refused_with_a_clear_message(client, fair, door_token):
    for q in ("", "a", " å ", "  "):
        answer = await client.get(SEARCH, params={"q": q}, headers=bearer(door_token))
        assert answer.status_code == 422
        assert answer.json()["error"].startswith("Skriv mindst 2 bogstaver")
    english = await client.get(SEARCH, params={"q": "x"}, headers={**bearer(door_token), "Accept-Language": "en"})
    assert english.status_code == 422 and english.json()["error"].startswith("Type at least 2 letters")
    assert (await client.get(SEARCH, headers=bearer(door_token))).status_code == 422
    too_long = await client.get(SEARCH, params={"q": "a" * 101}, headers=bearer(door_token))
    assert too_long.status_code == 422


async def test_only_door_staff_and_organisers_search(client, fair, organiser_token, staff_tokens):
    exhibitor = staff_tokens[0]
    assert (await client.get(SEARCH, params={"q": "an"})).status_code == 401
    assert (await client.get(SEARCH, params={"q": "an"}, headers=bearer(exhibitor))).status_code == 403
    assert (await client.get(SEARCH, params={"q": "an"}, headers=bearer(organiser_token))).status_code == 200


async def test_check_in_by_hand_answers_as_a_scan_does(client, fair, desk_people, door_token):
    aase = desk_people["aase"]
    await found(client, door_token, "aase")
    first = await client.post(CHECKINS, headers=bearer(door_token), json=by_hand(aase.id, "desk-1-000001",
                                                                                 door="Skranken"))
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["status"] == "checked_in"
    assert body["attendee"] == {"id": aase.id, "name": aase.name, "organisation": "Ærø Kommune"}
    replay = await client.post(CHECKINS, headers=bearer(door_token), json=by_hand(aase.id, "desk-1-000001"))
    assert replay.status_code == 200 and replay.json()["status"] == "checked_in"
    again = await client.post(CHECKINS, headers=bearer(door_token), json=by_hand(aase.id))
    assert again.status_code == 200
    assert again.json()["status"] == "already_checked_in"
    assert (again.json()["checked_in_at"], again.json()["door"]) == (body["checked_in_at"], "Skranken")
    # The badge scanned afterwards says the same.
    scanned = await client.post(CHECKINS, headers=bearer(door_token),
                                json={"payload": badge_payload(aase), "client_id": uuid.uuid4().hex})
    assert scanned.status_code == 200 and scanned.json()["status"] == "already_checked_in"
    assert await CheckIn.filter(attendee_id=aase.id).count() == 1


async def test_each_check_in_has_an_audit_entry_naming_the_staffer(client, fair, desk_people, visitors, organiser):
    aase = desk_people["aase"]
    page = await client.get("/messe13/checkin/")
    token = page.text.split('name="csrf-token" content="')[1].split('"')[0]
    headers = {"X-CSRF-Token": token}
    assert (await client.post(CHECKINS, headers=headers, json=by_hand(aase.id))).status_code == 201
    assert (await client.post(CHECKINS, headers=headers, json=by_hand(aase.id))).status_code == 200
    scan = {"payload": badge_payload(visitors[0]), "client_id": uuid.uuid4().hex}
    assert (await client.post(CHECKINS, headers=headers, json=scan)).status_code == 201
    entries = await AuditEntry.filter(event=fair, action="checkin.created").order_by("id")
    assert [(e.actor, e.object_id, e.detail["method"]) for e in entries] == [
        ("Anne Ærø", str(aase.id), "hand"), ("Anne Ærø", str(visitors[0].id), "scan")]


async def test_a_body_must_name_a_badge_or_a_person_not_both(client, desk_people, door_token):
    aase = desk_people["aase"]
    both = {"payload": badge_payload(aase), "attendee_id": aase.id, "client_id": uuid.uuid4().hex}
    neither = {"client_id": uuid.uuid4().hex}
    for body in (both, neither):
        answer = await client.post(CHECKINS, headers=bearer(door_token), json=body)
        assert answer.status_code == 422
        assert "payload" in answer.json()["fields"][0]["message"]
    unknown = await client.post(CHECKINS, headers=bearer(door_token), json=by_hand(2**31 - 1))
    assert unknown.status_code == 404
    assert (await client.post(CHECKINS, headers=bearer(door_token), json=by_hand(2**40))).status_code == 422


async def test_door_staff_serve_only_the_people_their_own_search_found(client, fair, desk_people, door_token,
                                                                        second_door_token, organiser_token):
    aase, wang = desk_people["aase"], desk_people["wang"]
    refused = await client.post(CHECKINS, headers=bearer(door_token), json=by_hand(aase.id))
    assert refused.status_code == 403 and "søgningen" in refused.json()["error"]
    pdf = f"/messe13/badges/{aase.id}.pdf"
    reprint = f"/messe13/api/badges/{aase.id}/print"
    assert (await client.get(pdf, headers=bearer(door_token))).status_code == 403
    assert (await client.post(reprint, json={"reprint": True}, headers=bearer(door_token))).status_code == 403
    await found(client, door_token, "åse")
    assert (await client.get(pdf, headers=bearer(door_token))).status_code == 200
    # Another staffer's search opens nothing for this one, and the other way round.
    assert (await client.get(pdf, headers=bearer(second_door_token))).status_code == 403
    assert (await client.get(f"/messe13/badges/{wang.id}.pdf", headers=bearer(door_token))).status_code == 403
    # Organisers serve anyone.
    assert (await client.get(f"/messe13/badges/{wang.id}.pdf", headers=bearer(organiser_token))).status_code == 200
    # The grant runs out.
    await DeskGrant.filter(attendee_id=aase.id).update(expires_at=datetime(2020, 1, 1, tzinfo=UTC))
    assert (await client.get(pdf, headers=bearer(door_token))).status_code == 403
    stored = await Attendee.get(id=aase.id)
    assert stored.badge_version == 1


async def test_a_reprint_at_the_desk_revokes_the_old_badge_with_an_audit_entry(client, fair, desk_people,
                                                                                door_token):
    aase = desk_people["aase"]
    old = badge_payload(aase)
    await found(client, door_token, "aase")
    reprint = await client.post(f"/messe13/api/badges/{aase.id}/print", json={"reprint": True},
                                headers=bearer(door_token))
    assert reprint.status_code == 200, reprint.text
    assert reprint.json()["badge_version"] == 2
    refused = await client.post(CHECKINS, headers=bearer(door_token), json={"payload": old,
                                                                           "client_id": uuid.uuid4().hex})
    assert refused.status_code == 409 and refused.json()["reason"] == "superseded"
    [item] = await found(client, door_token, "aase@aeroe.dk")
    assert item["badge_version"] == 2
    entries = await AuditEntry.filter(event=fair, action="badge.reprinted", object_id=str(aase.id))
    assert [(e.actor, e.detail["badge_version"]) for e in entries] == [("token:door", 2)]
