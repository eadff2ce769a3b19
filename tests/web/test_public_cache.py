"""Anonymous reads are answered from memory, and stay right: a change shows at once, nobody sees
another person's page, and a language gets its own copy."""

from __future__ import annotations

import httpx

from messe.people.domain.accounts import issue_personal_link_token
from messe.people.models import Attendee
from messe.programme.models import Talk
from tests.conftest import bearer, make_token

EVENT = "/messe13"


async def _first_talk(fair) -> Talk:
    return await Talk.filter(event=fair, published__isnull=False).order_by("starts_at", "id").first()


async def test_an_anonymous_phone_gets_no_cookie_and_sees_a_change_at_once(client: httpx.AsyncClient, fair):
    first = await client.get(f"{EVENT}/")
    again = await client.get(f"{EVENT}/")
    assert first.status_code == again.status_code == 200
    assert "set-cookie" not in first.headers and "set-cookie" not in again.headers
    assert again.text == first.text and again.headers["etag"] == first.headers["etag"]
    assert (await client.get(f"{EVENT}/", headers={"If-None-Match": first.headers["etag"]})).status_code == 304

    talk = await _first_talk(fair)
    organiser = bearer(await make_token(fair, "organiser"))
    moved = await client.patch(f"{EVENT}/api/talks/{talk.id}", json={"title": "Nyt navn på åbningen"},
                               headers=organiser)
    assert moved.status_code == 200, moved.text
    after = await client.get(f"{EVENT}/", headers={"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200 and "Nyt navn på åbningen" in after.text
    assert after.headers["etag"] != first.headers["etag"]
    assert (await client.get(f"{EVENT}/", headers={"If-None-Match": after.headers["etag"]})).status_code == 304
    api = await client.get(f"{EVENT}/api/talks/{talk.id}")
    assert api.json()["title"] == "Nyt navn på åbningen"


async def test_gzip_is_offered_and_holds_the_same_page(client: httpx.AsyncClient, fair):
    plain = await client.get(f"{EVENT}/schedule/export/schedule.json", headers={"Accept-Encoding": "identity"})
    zipped = await client.get(f"{EVENT}/schedule/export/schedule.json", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.json() == plain.json()
    assert "Accept-Encoding" in zipped.headers["vary"]


async def test_each_language_has_its_own_copy(client: httpx.AsyncClient, fair):
    danish = await client.get(f"{EVENT}/")
    english = await client.get(f"{EVENT}/", cookies={"messe_lang": "en"})
    assert 'lang="da"' in danish.text and 'lang="en"' in english.text
    assert 'lang="da"' in (await client.get(f"{EVENT}/")).text
    talk = await _first_talk(fair)
    organiser = bearer(await make_token(fair, "organiser"))
    await client.patch(f"{EVENT}/api/talks/{talk.id}", json={"title": "Ny titel"}, headers=organiser)
    [english_change] = (await client.get(f"{EVENT}/api/changes", headers={"Accept-Language": "en"})).json()["items"]
    [danish_change] = (await client.get(f"{EVENT}/api/changes", headers={"Accept-Language": "da"})).json()["items"]
    assert english_change["summary"] != danish_change["summary"]


async def test_a_signed_in_attendee_never_gets_the_shared_page_nor_shares_theirs(app, fair):
    attendee = await Attendee.filter(event=fair).order_by("id").first()
    token = await issue_personal_link_token(attendee)
    transport = httpx.ASGITransport(app=app)
    async with (httpx.AsyncClient(transport=transport, base_url="http://testserver") as phone,
                httpx.AsyncClient(transport=transport, base_url="http://testserver") as stranger):
        before = await stranger.get(f"{EVENT}/")
        assert (await phone.get(f"{EVENT}/link/{token}")).status_code == 303
        mine = await phone.get(f"{EVENT}/")
        assert attendee.name in mine.text and 'name="csrf-token"' in mine.text
        theirs = await stranger.get(f"{EVENT}/")
        assert attendee.name not in theirs.text and 'name="csrf-token"' not in theirs.text
        assert theirs.text == before.text


async def test_only_reads_that_every_visitor_shares_are_kept(client: httpx.AsyncClient, fair):
    """A 404 is never kept: a talk published a moment later shows."""
    talk = await _first_talk(fair)
    draft = await Talk.create(event=fair, code="ny", title="Kommer snart", starts_at=talk.starts_at,
                              ends_at=talk.ends_at, stage_id=None)
    assert (await client.get(f"{EVENT}/talks/{draft.id}")).status_code == 404
    organiser = bearer(await make_token(fair, "organiser"))
    published = await client.patch(f"{EVENT}/api/talks/{draft.id}", headers=organiser,
                                   json={"title": "Nu offentlig", "state": "published"})
    assert published.status_code == 200, published.text
    page = await client.get(f"{EVENT}/talks/{draft.id}")
    assert page.status_code == 200 and "Nu offentlig" in page.text
