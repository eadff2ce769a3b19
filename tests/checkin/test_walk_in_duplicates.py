"""A walk-in never makes a second person: an e-mail address already registered is refused with the
person it belongs to, whom the desk can then check in or reprint at once."""

from __future__ import annotations

import json
import re
import uuid

from messe.checkin.models import CheckIn
from messe.common.models import AuditEntry
from messe.people.domain.accounts import create_account
from messe.people.models import Attendee
from tests.admin.conftest import PASSWORD, sign_in


async def _door_staffer(client, fair) -> str:
    await create_account(fair, "doer", PASSWORD, "door", name="Dorte Dør")
    await sign_in(client, "doer")
    page = await client.get("/messe13/checkin/")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def _walk_in(token: str, **fields) -> dict:
    return {"csrf_token": token, "client_id": uuid.uuid4().hex, "door": "Hovedindgang", "name": "Åse Ø.",
            "organisation": "Noget Andet", **fields}


async def test_a_registered_email_is_refused_with_the_person_it_belongs_to(client, fair, desk_people):
    token = await _door_staffer(client, fair)
    aase = desk_people["aase"]
    before = await Attendee.filter(event=fair).count()
    refused = await client.post("/messe13/checkin/walk-in", data=_walk_in(token, email=" AASE@aeroe.DK "))
    assert refused.status_code == 409
    assert "Er allerede registreret for Åse Ødegård-Nguyễn (Ærø Kommune)" in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert await Attendee.filter(event=fair).count() == before
    assert await CheckIn.filter(event=fair).count() == 0
    # The desk on the refusal page offers exactly that person, ready to check in or reprint.
    config = json.loads(re.search(r'<script type="application/json" id="scan-config">(.*?)</script>',
                                  refused.text, re.S).group(1))
    assert config["found"] == [{"attendee_id": aase.id, "name": aase.name, "organisation": "Ærø Kommune",
                                "checked_in_at": None, "badge_version": 1}]
    headers = {"X-CSRF-Token": token}
    checked = await client.post("/messe13/api/checkins", headers=headers,
                                json={"attendee_id": aase.id, "client_id": uuid.uuid4().hex})
    assert checked.status_code == 201, checked.text
    reprint = await client.post(f"/messe13/api/badges/{aase.id}/print", headers=headers, json={"reprint": True})
    assert reprint.status_code == 200 and reprint.json()["badge_version"] == 2
    assert (await client.get(reprint.json()["pdf_url"])).status_code == 200


async def test_a_walk_in_is_audited_and_its_staffer_may_reprint_it(client, fair):
    token = await _door_staffer(client, fair)
    done = await client.post("/messe13/checkin/walk-in", data=_walk_in(token, name="Ny Person", email="ny@x.dk"))
    assert done.status_code == 200, done.text
    person = await Attendee.get(event=fair, email="ny@x.dk")
    actions = [(e.action, e.actor) for e in await AuditEntry.filter(event=fair, object_id=str(person.id))
               .order_by("id")]
    assert actions == [("attendee.created", "Dorte Dør"), ("checkin.created", "Dorte Dør"),
                       ("badge.printed", "Dorte Dør")]
    assert (await client.get(f"/messe13/badges/{person.id}.pdf")).status_code == 200
    reprint = await client.post(f"/messe13/api/badges/{person.id}/print", headers={"X-CSRF-Token": token},
                                json={"reprint": True})
    assert reprint.status_code == 200
    # The same e-mail again, even in other letters, is the same person.
    again = await client.post("/messe13/checkin/walk-in", data=_walk_in(token, name="Ny Person", email="NY@x.dk"))
    assert again.status_code == 409
    assert await Attendee.filter(event=fair, email__iexact="ny@x.dk").count() == 1


async def test_walk_ins_without_email_are_never_refused_as_duplicates(client, fair):
    token = await _door_staffer(client, fair)
    for _ in range(2):
        answer = await client.post("/messe13/checkin/walk-in", data=_walk_in(token, name="Uden Mail", email=""))
        assert answer.status_code == 200
    assert await Attendee.filter(event=fair, name="Uden Mail").count() == 2
