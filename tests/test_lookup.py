"""A prepared lookup finds what the ORM's own query finds, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from messe.lookup import Lookup
from messe.people.models import ApiToken, Attendee, Organisation
from tests.conftest import make_token


async def test_a_lookup_answers_as_the_orm_does_with_its_related_row_and_fixed_filters(fair):
    lookup = Lookup(Attendee, "id", "event_id", select_related=("organisation",), erased_at=None)
    attendee = await Attendee.filter(event=fair, organisation_id__not_isnull=True).first()
    other_event = fair.id + 1000
    for _ in range(2):  # built once, then reused
        found = await lookup.get(id=attendee.id, event_id=fair.id)
        assert (found.id, found.name, found.badge_version) == (attendee.id, attendee.name, attendee.badge_version)
        assert found.organisation.name == (await Organisation.get(id=attendee.organisation_id)).name
        assert await lookup.get(id=attendee.id, event_id=other_event) is None
    found.name = "Åse Ødegård 李小龙"
    await found.save()  # a model from a lookup is a real, saved row
    assert (await Attendee.get(id=attendee.id)).name == "Åse Ødegård 李小龙"

    async with in_transaction():
        await Attendee.filter(id=attendee.id).update(erased_at=fair.starts_at)
        assert await lookup.get(id=attendee.id, event_id=fair.id) is None  # sees the transaction's own write
    assert await lookup.get(id=attendee.id, event_id=fair.id) is None


async def test_a_lookup_by_a_text_key_finds_its_row_and_no_other(fair):
    lookup = Lookup(ApiToken, "event_id", "token_hash", revoked_at=None)
    await make_token(fair, "door")
    token = await ApiToken.get(event=fair, role="door")
    found = await lookup.get(event_id=fair.id, token_hash=token.token_hash)
    assert (found.id, found.role) == (token.id, "door")
    assert await lookup.get(event_id=fair.id, token_hash=token.token_hash[:-1] + "x") is None
    assert await lookup.get(event_id=fair.id + 1000, token_hash=token.token_hash) is None
