"""A scanning device that floods the API (a stuck hand scanner, a script) is slowed down with a
clear message; every other device keeps scanning."""

from __future__ import annotations

import secrets

from messe.checkin.models import CheckIn
from messe.people.models import Attendee
from messe.web.ratelimit import RULES
from tests.conftest import bearer, make_token
from tests.scanning.conftest import badge_payload
from tests.web.conftest import EVENT

PER_MINUTE = int(RULES["scan"].split("/")[0])


def _scan(attendee: Attendee) -> dict[str, str]:
    return {"payload": badge_payload(attendee), "client_id": secrets.token_hex(8)}


async def test_a_flooding_scanner_gets_a_clear_429_and_other_devices_do_not(client, callers, fair):
    attendee = await Attendee.filter(event=fair).select_related("organisation").order_by("id").first()
    door = callers["door"]
    statuses = [(await client.post(f"{EVENT}/api/checkins", headers=door, json=_scan(attendee))).status_code
                for _ in range(PER_MINUTE)]
    assert 429 not in statuses

    # The limit counts in a sliding window, weighing the last minute's count by how much of it
    # is still in the window: right after a minute begins it lets a few more through, then refuses.
    for _ in range(PER_MINUTE):
        stored = await CheckIn.all().count()
        flooded = await client.post(f"{EVENT}/api/checkins", headers={**door, "Accept-Language": "en"},
                                    json=_scan(attendee))
        if flooded.status_code != 200:
            break
    assert flooded.status_code == 429
    assert flooded.json()["error"] == "Too many attempts – wait a moment and try again"
    assert flooded.headers["Retry-After"] == "60"
    danish = await client.post(f"{EVENT}/api/checkins", headers=door, json=_scan(attendee))
    assert danish.json()["error"] == "For mange forsøg – vent lidt og prøv igen"
    assert await CheckIn.all().count() == stored  # a refused scan writes nothing

    # Another door's device (a token with the same name), and an exhibitor's scanner, are not slowed.
    other_door = bearer(await make_token(fair, "door"))
    at_other_door = await client.post(f"{EVENT}/api/checkins", headers=other_door, json=_scan(attendee))
    assert at_other_door.status_code in (200, 201)
    lead = await client.post(f"{EVENT}/api/leads", headers=callers["exhibitor_a"], json=_scan(attendee))
    assert lead.status_code == 201
