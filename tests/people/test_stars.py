"""An attendee's stars are kept on the server and merge with stars made before signing in."""

from __future__ import annotations

import re

from messe.people.domain.accounts import issue_personal_link_token
from messe.people.models import Attendee
from messe.programme.models import Talk


async def _sign_in(client, attendee) -> str:
    token = await issue_personal_link_token(attendee)
    assert (await client.get(f"/messe13/link/{token}")).status_code == 303
    page = await client.get("/messe13/exhibitors")
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


async def test_star_unstar_and_merge(client, fair):
    attendee = await Attendee.filter(event=fair).first()
    talks = await Talk.filter(event=fair).order_by("id").limit(3)
    csrf = await _sign_in(client, attendee)
    headers = {"X-CSRF-Token": csrf}
    response = await client.put(f"/messe13/api/me/stars/{talks[0].id}", headers=headers)
    assert response.status_code == 200 and response.json()["talk_ids"] == [talks[0].id]
    merged = await client.post("/messe13/api/me/stars", headers=headers,
                               json={"talk_ids": [talks[1].id, talks[2].id, 999999]})
    assert merged.json()["talk_ids"] == sorted(t.id for t in talks)
    await client.delete(f"/messe13/api/me/stars/{talks[1].id}", headers=headers)
    assert (await client.get("/messe13/api/me/stars")).json()["talk_ids"] == [talks[0].id, talks[2].id]
    assert (await client.put("/messe13/api/me/stars/999999", headers=headers)).status_code == 404


async def test_stars_need_csrf_header_and_an_attendee(client, fair):
    attendee = await Attendee.filter(event=fair).first()
    talk = await Talk.filter(event=fair).first()
    await _sign_in(client, attendee)
    assert (await client.put(f"/messe13/api/me/stars/{talk.id}")).status_code == 403
    client.cookies.clear()
    assert (await client.get("/messe13/api/me/stars")).status_code == 401
