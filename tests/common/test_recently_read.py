"""A busy scanner's token and exhibitor rows are read once every few seconds, not on every scan;
what is changed in this process counts at once, what another worker changes within the copy's
seconds, and a read that a change overtook keeps nothing."""

from __future__ import annotations

import asyncio

import pytest
from tortoise import Tortoise

from messe.common.recently_read import RecentlyRead
from messe.expo.models import Exhibitor
from messe.people.domain.accounts import find_api_token, known_tokens
from messe.people.domain.logins import revoke_token
from messe.people.models import ApiToken
from tests.conftest import bearer, make_token


async def _revoke_from_another_worker(token_id: int) -> None:
    """What another worker process does: the row changes, no signal reaches this process."""
    await Tortoise.get_connection("default").execute_query(
        "UPDATE api_token SET revoked_at = CURRENT_TIMESTAMP WHERE id = ?"
        if Tortoise.get_connection("default").capabilities.dialect == "sqlite"
        else "UPDATE api_token SET revoked_at = now() WHERE id = $1", [token_id])


async def test_a_token_revoked_here_stops_working_at_once(client, fair):
    token = await make_token(fair, "door")
    assert (await client.get("/messe13/api/checkins/counts", headers=bearer(token))).status_code == 200
    row = await ApiToken.get(event=fair, revoked_at=None, role="door")
    await revoke_token(fair, row.id, actor="Organisator")
    assert (await client.get("/messe13/api/checkins/counts", headers=bearer(token))).status_code == 401


async def test_a_token_revoked_by_another_worker_stops_working_when_the_copy_runs_out(client, fair, monkeypatch):
    monkeypatch.setattr(known_tokens, "seconds", 0.3)
    token = await make_token(fair, "door")
    assert await find_api_token(fair, token) is not None  # read, and kept
    row = await ApiToken.get(event=fair, revoked_at=None, role="door")
    await _revoke_from_another_worker(row.id)
    assert await find_api_token(fair, token) is not None  # the copy, not the row: no read per scan
    await asyncio.sleep(0.4)
    assert await find_api_token(fair, token) is None
    assert (await client.get("/messe13/api/checkins/counts", headers=bearer(token))).status_code == 401


async def test_an_exhibitor_deleted_here_is_refused_at_the_next_request(client, fair):
    exhibitor = await Exhibitor.filter(event=fair).order_by("id").first()
    token = await make_token(fair, "exhibitor", exhibitor=exhibitor)
    assert (await client.get("/messe13/api/leads", headers=bearer(token))).status_code == 200
    await exhibitor.delete()
    assert (await client.get("/messe13/api/leads", headers=bearer(token))).status_code in (401, 403)


@pytest.mark.parametrize("change", ["save", "delete"])
async def test_a_read_overtaken_by_a_change_keeps_nothing(fair, change):
    cache: RecentlyRead[Exhibitor] = RecentlyRead(Exhibitor, lambda row: row.id)
    exhibitor = await Exhibitor.filter(event=fair).order_by("id").first()
    reading, changed = asyncio.Event(), asyncio.Event()

    async def slow_read() -> Exhibitor:
        reading.set()
        await changed.wait()
        return exhibitor

    pending = asyncio.create_task(cache.read(exhibitor.id, slow_read))
    await reading.wait()
    await (exhibitor.save() if change == "save" else exhibitor.delete())
    changed.set()
    assert await pending is exhibitor  # the caller gets its answer …
    assert cache.get(exhibitor.id) is None  # … but it is not kept for the next one


async def test_a_row_read_is_kept_for_its_seconds(fair):
    cache: RecentlyRead[Exhibitor] = RecentlyRead(Exhibitor, lambda row: row.id, seconds=0.2)
    wanted = (await Exhibitor.filter(event=fair).order_by("id").first()).id
    reads = []

    async def read() -> Exhibitor | None:
        reads.append(1)
        return await Exhibitor.get_or_none(id=wanted)

    first = await cache.read(wanted, read)
    assert await cache.read(wanted, read) is first and len(reads) == 1
    await asyncio.sleep(0.25)
    assert (await cache.read(wanted, read)).id == wanted and len(reads) == 2
