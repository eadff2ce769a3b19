"""An API token's "last used" is written down in one statement for every token used since the last
time, not by the requests themselves, to the minute, and never undoes what else changed on the
token meanwhile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from messe.people.domain.logins import revoke_token
from messe.people.domain.token_use import TokenUse, token_use
from messe.people.models import ApiToken
from tests.conftest import bearer, make_token

COUNTS = "/messe13/api/checkins/counts"


async def _last_used(role: str) -> datetime | None:
    return (await ApiToken.get(role=role)).last_used_at


async def test_every_token_used_is_written_down_together(client, fair):
    door, organiser = await make_token(fair, "door"), await make_token(fair, "organiser")
    before = datetime.now(UTC)
    for token in (door, organiser, door):
        assert (await client.get(COUNTS, headers=bearer(token))).status_code == 200
    assert await _last_used("door") is None  # the requests only noted it
    await token_use.write_down()
    for role in ("door", "organiser"):
        used = await _last_used(role)
        assert used is not None and before <= used <= datetime.now(UTC)


async def test_a_use_within_the_minute_changes_nothing(client, fair):
    door = await make_token(fair, "door")
    assert (await client.get(COUNTS, headers=bearer(door))).status_code == 200
    await token_use.write_down()
    first = await _last_used("door")
    assert (await client.get(COUNTS, headers=bearer(door))).status_code == 200
    await token_use.write_down()
    assert await _last_used("door") == first


async def test_a_token_revoked_before_its_use_is_written_down_stays_revoked(client, fair):
    door = await make_token(fair, "door")
    assert (await client.get(COUNTS, headers=bearer(door))).status_code == 200
    row = await ApiToken.get(role="door")
    await revoke_token(fair, row.id, actor="Organisator")
    await token_use.write_down()
    row = await ApiToken.get(id=row.id)
    assert row.revoked_at is not None and row.last_used_at is not None
    assert (await client.get(COUNTS, headers=bearer(door))).status_code == 401


async def test_what_is_noted_is_written_down_when_the_application_stops(fair):
    await make_token(fair, "door")
    row = await ApiToken.get(role="door")
    uses = TokenUse()
    async with uses.running(interval=3600):
        uses.note(row, datetime.now(UTC) - timedelta(seconds=5))
        assert await _last_used("door") is None
    assert await _last_used("door") is not None
