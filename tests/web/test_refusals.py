"""A domain's refusal reaches the caller the same way from every part: its kind picks the status,
its first problem is the message, every problem with a field is listed, in the reader's language."""

from __future__ import annotations

from messe.common.refusal import Refusal, RefusalKind
from messe.programme.models import Talk
from messe.web.errors import REFUSAL_STATUS
from tests.conftest import bearer

EVENT = "/messe13"


def test_every_kind_of_refusal_has_a_status():
    assert set(REFUSAL_STATUS) == set(RefusalKind)
    assert sorted(REFUSAL_STATUS.values()) == [403, 404, 409, 412, 422]


async def test_a_refusal_lists_every_problem_in_the_readers_language(client, fair, organiser_token):
    talk = await Talk.filter(event=fair, stage_id__not_isnull=True).first()
    body = {"title": "Nyt foredrag", "starts_at": talk.starts_at.isoformat(), "ends_at": talk.ends_at.isoformat(),
            "stage_id": 999_999, "track_id": 999_999, "draft": True}
    answer = await client.post(f"{EVENT}/api/talks", json=body,
                               headers={**bearer(organiser_token), "Accept-Language": "en"})
    assert answer.status_code == 422
    error = answer.json()
    assert error["error"] == "The stage does not exist"
    assert [(f["field"], f["message"]) for f in error["fields"]] == [
        ("stage_id", "The stage does not exist"), ("track_id", "The track does not exist")]
    assert not await Talk.filter(event=fair, title="Nyt foredrag").exists()


async def test_a_refused_badge_says_why_for_programs_too(client, fair, organiser_token):
    answer = await client.post(f"{EVENT}/api/checkins", json={"payload": "M1:not-a-badge", "client_id": "door-1-0001"},
                               headers=bearer(organiser_token))
    assert answer.status_code == 422
    assert answer.json() == {"error": "Koden er ikke et badge fra messe", "status": 422, "reason": "malformed"}


async def test_an_unknown_record_is_404_with_the_domains_message(client, fair, organiser_token):
    answer = await client.delete(f"{EVENT}/api/stages/999999", headers=bearer(organiser_token))
    assert answer.status_code == 404
    assert answer.json() == {"error": "Scenen findes ikke", "status": 404}


def test_a_refusals_message_may_name_any_value_even_reason():
    refused = Refusal.invalid("Ugyldig JSON: {reason}", reason="linje 1")
    assert refused.message == "Ugyldig JSON: linje 1" and refused.reason is None
