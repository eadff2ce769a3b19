"""Cross-site requests: an auto-submitting form on another site (or a same-site page) rides on the
victim's session cookie. Every unsafe request that carries a session must prove the session's CSRF
token, in the X-CSRF-Token header or the form's csrf_token field, whatever its content type and
whether or not the endpoint reads a body; otherwise 403 and nothing changes. Requests with a bearer
token carry no cookie credentials and need no CSRF token."""

from __future__ import annotations

import re

import httpx
import pytest

from messe.expo.models import Exhibitor
from messe.people.domain.accounts import create_account, issue_personal_link_token
from messe.people.domain.bookmarks import starred_talk_ids
from messe.people.models import Attendee
from messe.programme.models import Stage, Talk
from tests.admin.conftest import sign_in
from tests.conftest import bearer, make_token
from tests.web.conftest import EVENT, row_counts

PASSWORD = "korrekt-hest-batteri"
FORGED = {
    "an empty url-encoded form": {"content": b"", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
    "a url-encoded form": {"content": b"confirm=1", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
    "a form with a wrong token": {"content": b"csrf_token=guess",
                                  "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
    "a multipart form": {"files": {"confirm": (None, b"1")}},
    "text/plain": {"content": b"confirm=1", "headers": {"Content-Type": "text/plain"}},
}


def _csrf(page: httpx.Response) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


async def _organiser_session(client: httpx.AsyncClient, fair) -> str:
    await create_account(fair, "anne", PASSWORD, "organiser", name="Anne Ærø")
    await sign_in(client, "anne", PASSWORD)
    return _csrf(await client.get(f"{EVENT}/admin/"))


async def _attendee_session(client: httpx.AsyncClient, attendee: Attendee) -> str:
    await client.get(f"{EVENT}/link/{await issue_personal_link_token(attendee)}")
    return _csrf(await client.get(f"{EVENT}/exhibitors"))


async def _state(attendee: Attendee) -> dict[str, object]:
    """What the forged requests would change: any row, or the attendee's erasure."""
    return {"rows": await row_counts(), "erased": (await Attendee.get(id=attendee.id)).erased_at}


@pytest.mark.parametrize("forged", list(FORGED))
async def test_an_organisers_session_cannot_be_made_to_erase_or_delete(client, fair, forged):
    csrf = await _organiser_session(client, fair)
    attendee = await Attendee.filter(event=fair).order_by("id").first()
    talk = await Talk.filter(event=fair).order_by("id").first()
    stage = await Stage.filter(event=fair).order_by("-id").first()
    exhibitor = await Exhibitor.filter(event=fair).order_by("id").first()
    before = await _state(attendee)
    for method, path in [("POST", f"api/attendees/{attendee.id}/erase"), ("DELETE", f"api/attendees/{attendee.id}"),
                         ("DELETE", f"api/talks/{talk.id}"), ("DELETE", f"api/stages/{stage.id}"),
                         ("DELETE", f"api/exhibitors/{exhibitor.id}")]:
        response = await client.request(method, f"{EVENT}/{path}", **FORGED[forged])
        assert response.status_code == 403, (method, path, response.status_code, response.text[:200])
        assert "CSRF" in response.json()["error"]
    assert await _state(attendee) == before
    # The same session with its token may do it, in the header or as a form field of a bodiless call.
    erased = await client.post(f"{EVENT}/api/attendees/{attendee.id}/erase", headers={"X-CSRF-Token": csrf})
    assert erased.status_code in (200, 204), erased.text[:200]
    deleted = await client.request("DELETE", f"{EVENT}/api/exhibitors/{exhibitor.id}",
                                   content=f"csrf_token={csrf}".encode(),
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert deleted.status_code == 204, deleted.text[:200]
    assert not await Exhibitor.filter(id=exhibitor.id).exists()


@pytest.mark.parametrize("forged", list(FORGED))
async def test_an_attendees_session_cannot_be_made_to_star_or_unstar(client, fair, forged):
    attendee = await Attendee.filter(event=fair).order_by("id").first()
    first, second = await Talk.filter(event=fair).order_by("id").limit(2)
    csrf = await _attendee_session(client, attendee)
    starred = await client.put(f"{EVENT}/api/me/stars/{second.id}", headers={"X-CSRF-Token": csrf})
    assert starred.status_code == 200 and second.id in starred.json()["talk_ids"]
    before = await row_counts()
    put = await client.put(f"{EVENT}/api/me/stars/{first.id}", **FORGED[forged])
    delete = await client.request("DELETE", f"{EVENT}/api/me/stars/{second.id}", **FORGED[forged])
    assert (put.status_code, delete.status_code) == (403, 403), (put.text[:200], delete.text[:200])
    assert await row_counts() == before
    assert await starred_talk_ids(attendee.id) == [second.id]
    unstarred = await client.request("DELETE", f"{EVENT}/api/me/stars/{second.id}",
                                     files={"csrf_token": (None, csrf.encode())})
    assert unstarred.status_code == 200 and unstarred.json()["talk_ids"] == []


async def test_a_form_page_refuses_a_forged_form_in_the_visitors_language(client, fair):
    """A signed-in attendee tricked into erasing themselves: refused with a page, in English for
    an English reader, and the attendee is still there."""
    attendee = await Attendee.filter(event=fair).order_by("id").first()
    await _attendee_session(client, attendee)
    client.cookies.set("messe_lang", "en")
    response = await client.post(f"{EVENT}/me/erase", data={"confirm": "1"}, headers={"Accept": "text/html"})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html") and '<html lang="en">' in response.text
    assert (await Attendee.get(id=attendee.id)).erased_at is None


async def test_bearer_tokens_need_no_csrf_token(client, fair):
    exhibitor = await Exhibitor.filter(event=fair).order_by("id").first()
    token = await make_token(fair, "organiser")
    response = await client.request("DELETE", f"{EVENT}/api/exhibitors/{exhibitor.id}",
                                    headers={**bearer(token), "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 204
