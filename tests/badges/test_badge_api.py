"""Badge routes on the running app: the scanners' public key, one badge PDF at the door, reprints."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from messe.badges.domain.printing import UNKNOWN_ATTENDEE, check_badge
from messe.badges.domain.tokens import SUPERSEDED, verify_badge
from messe.common.refusal import Refusal
from messe.people.models import Attendee
from tests.badges.pdfcheck import decode_pages
from tests.conftest import TEST_SECRET, bearer, make_token


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


async def door_token_for(client, fair, attendee: Attendee) -> str:
    """A door staffer's token that has just found ``attendee`` at the door desk (door staff print
    only the badges of people they found there)."""
    token = await make_token(fair, "door")
    answer = await client.get(f"/{fair.slug}/api/checkins/search", params={"q": attendee.name}, headers=bearer(token))
    assert attendee.id in [item["attendee_id"] for item in answer.json()["items"]]
    return token


async def scan(client, fair, attendee_id: int, token: str, tmp_path, layout: str = "a6") -> str:
    response = await client.get(f"/{fair.slug}/badges/{attendee_id}.pdf?layout={layout}", headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    path = tmp_path / f"badge-{attendee_id}-{datetime.now(UTC).timestamp()}.pdf"
    path.write_bytes(response.content)
    codes = decode_pages(path)
    assert len(codes) == 1
    return codes[0].text


async def test_a_door_printed_badge_verifies_with_the_published_key(client, fair, tmp_path):
    key = await client.get(f"/{fair.slug}/api/badge-key")
    assert key.status_code == 200
    body = key.json()
    assert body["algorithm"] == "Ed25519" and body["event"] == fair.slug and body["format"] == "M1:"
    public = b64url_decode(body["public_key"])
    assert len(public) == 32
    attendee = await Attendee.filter(event=fair).prefetch_related("organisation").first()
    assert attendee is not None
    code = await scan(client, fair, attendee.id, await door_token_for(client, fair, attendee), tmp_path)
    claims = verify_badge(code, public, fair.slug, current_version=attendee.badge_version)
    assert claims.attendee_id == attendee.id and claims.name == attendee.name
    assert claims.organisation == (attendee.organisation.name if attendee.organisation else "")


async def test_only_organisers_and_door_staff_get_badge_pdfs(client, fair):
    attendee = await Attendee.filter(event=fair).first()
    url = f"/{fair.slug}/badges/{attendee.id}.pdf"
    assert (await client.get(url)).status_code == 401
    organiser = await make_token(fair, "organiser")
    assert (await client.get(url, headers=bearer(organiser))).status_code == 200
    door = bearer(await door_token_for(client, fair, attendee))
    assert (await client.get(f"/{fair.slug}/badges/999999.pdf", headers=door)).status_code == 404
    assert (await client.get(f"/{fair.slug}/badges/{2**40}.pdf", headers=door)).status_code == 404
    bad_layout = await client.get(url + "?layout=../../etc/passwd", headers=door)
    assert bad_layout.status_code == 422 and "a6" in bad_layout.text


async def test_exhibitor_staff_get_no_badges(client, fair):
    from messe.expo.models import Exhibitor

    exhibitor = await Exhibitor.filter(event=fair).first()
    if exhibitor is None:
        pytest.skip("the seeded fair has no exhibitors")
    token = await make_token(fair, "exhibitor", exhibitor=exhibitor)
    attendee = await Attendee.filter(event=fair).first()
    response = await client.get(f"/{fair.slug}/badges/{attendee.id}.pdf", headers=bearer(token))
    assert response.status_code == 403


async def test_a_reprint_bumps_the_version_and_the_old_badge_is_refused(client, fair, tmp_path):
    organiser = await make_token(fair, "organiser")
    attendee = await Attendee.filter(event=fair).first()
    old = await scan(client, fair, attendee.id, organiser, tmp_path)
    response = await client.post(f"/{fair.slug}/api/badges/{attendee.id}/print", json={"reprint": True},
                                 headers=bearer(organiser))
    assert response.status_code == 200, response.text
    printed = response.json()
    assert printed["badge_version"] == attendee.badge_version + 1
    assert printed["pdf_url"] == f"/{fair.slug}/badges/{attendee.id}.pdf"
    new = await scan(client, fair, attendee.id, organiser, tmp_path, layout="cr80")
    assert (await check_badge(new, fair, TEST_SECRET)).version == printed["badge_version"]
    with pytest.raises(Refusal) as caught:
        await check_badge(old, fair, TEST_SECRET)
    assert caught.value.reason == SUPERSEDED
    stored = await Attendee.get(id=attendee.id)
    assert stored.badge_version == printed["badge_version"] and stored.badge_printed_at is not None


async def test_printing_without_reprint_keeps_the_version(client, fair):
    attendee = await Attendee.filter(event=fair).first()
    door = await door_token_for(client, fair, attendee)
    response = await client.post(f"/{fair.slug}/api/badges/{attendee.id}/print", json={}, headers=bearer(door))
    assert response.status_code == 200
    assert response.json()["badge_version"] == attendee.badge_version
    bad = await client.post(f"/{fair.slug}/api/badges/{attendee.id}/print", json={"reprint": "maybe"},
                            headers=bearer(door))
    assert bad.status_code == 422


async def test_an_erased_attendees_badge_is_refused_and_not_printed(client, fair, tmp_path):
    attendee = await Attendee.filter(event=fair).first()
    door = await door_token_for(client, fair, attendee)
    code = await scan(client, fair, attendee.id, door, tmp_path)
    await Attendee.filter(id=attendee.id).update(erased_at=datetime.now(UTC))
    with pytest.raises(Refusal) as caught:
        await check_badge(code, fair, TEST_SECRET)
    assert caught.value.reason == UNKNOWN_ATTENDEE
    response = await client.get(f"/{fair.slug}/badges/{attendee.id}.pdf", headers=bearer(door))
    assert response.status_code == 404


async def test_the_badge_routes_are_in_the_openapi_document(client, fair):
    document = (await client.get(f"/{fair.slug}/api/openapi.json")).json()
    paths = document["paths"]
    assert "get" in paths[f"/{fair.slug}/api/badge-key"]
    assert "post" in paths[f"/{fair.slug}/api/badges/{{attendee_id}}/print"]
    pdf = paths[f"/{fair.slug}/badges/{{attendee_id}}.pdf"]["get"]
    assert "application/pdf" in pdf["responses"]["200"]["content"]
