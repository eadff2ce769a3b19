"""After a move only the moved talk's item in the programme's list is rendered again; the page
shows its new time, and each language gets its own items."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from messe.programme.interfaces.talk_items import talk_items
from tests.conftest import bearer


def _item(page: str, talk_id: int) -> str:
    return re.search(rf'<li class="talk[^"]*" id="talk-{talk_id}".*?</li>', page, re.S).group(0)


async def test_a_move_renders_only_the_moved_talk_again(client, fair, organiser_token):
    talk_items.clear()
    talks = (await client.get("/messe13/api/talks", params={"per_page": 100})).json()["items"]
    moved, other = talks[3], talks[10]
    before = (await client.get("/messe13/")).text
    rendered = talk_items.rendered
    assert rendered >= len(talks)
    new_start = datetime.fromisoformat(moved["starts_at"]) + timedelta(minutes=5)
    answer = await client.patch(f"/messe13/api/talks/{moved['id']}", json={"starts_at": new_start.isoformat()},
                                headers=bearer(organiser_token))
    assert answer.status_code == 200, answer.text
    after = (await client.get("/messe13/")).text
    assert talk_items.rendered - rendered <= 3  # the moved talk (and any whose overlaps changed)
    assert _item(after, other["id"]) == _item(before, other["id"])
    item = _item(after, moved["id"])
    assert f'datetime="{answer.json()["starts_at"]}"' in item and item != _item(before, moved["id"])


async def test_each_language_has_its_own_items(client, fair, organiser_token):
    talks = (await client.get("/messe13/api/talks", params={"per_page": 100})).json()["items"]
    cancelled = talks[2]
    answer = await client.patch(f"/messe13/api/talks/{cancelled['id']}", json={"state": "cancelled"},
                                headers=bearer(organiser_token))
    assert answer.status_code == 200, answer.text
    danish = _item((await client.get("/messe13/")).text, cancelled["id"])
    english = _item((await client.get("/messe13/", params={"lang": "en"})).text, cancelled["id"])
    assert "talk--cancelled" in danish and "talk--cancelled" in english
    assert "Aflyst" in danish and "Cancelled" in english and "Aflyst" not in english
