"""The bad-input catalogue: oversized bodies, invalid UTF-8, NUL characters, very long strings,
deeply nested JSON, unknown event slugs and malformed badge QR payloads.

Every case gets a clear message in our own error format (JSON for the API, a page for browsers)
with a 4xx, never a 500, and writes nothing. The JSON cases are generated from the API's own
description of its operations (``messe.web.openapi.api_routes``), so a new operation is covered
without anyone remembering to add it. (HTML and script in text fields: test_hostile_text.py;
websocket frames: test_websocket_frames.py.)
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from messe.badges.domain import base45
from messe.badges.domain.tokens import derive_private_key, sign_badge
from messe.expo.models import Exhibitor, Lead
from messe.people.models import Attendee
from messe.programme.models import Stage, Talk
from messe.web.api import ApiRoute, Operation
from messe.web.openapi import api_routes
from tests.conftest import TEST_SECRET
from tests.scanning.conftest import badge_payload
from tests.web.conftest import EVENT, ROLE_CALLER, http_routes, row_counts

LIMIT = 5 * 1024 * 1024  # forms and uploads
TOO_LARGE = "Forespørgslen er for stor (højst 5 MB)"
JSON_LIMIT = 256 * 1024  # every other body: the API's JSON (test_request_cost.py has the hostile cases)
JSON_TOO_LARGE = "Forespørgslen er for stor (højst 256 KB)"
LONG = 10_000


# The API's operations with a JSON body, each with a caller allowed to call it and real ids.


async def _ids(fair, callers: dict[str, dict[str, str]], client: httpx.AsyncClient) -> dict[str, int]:
    """A record of every kind a path can name, the lead one of exhibitor A's."""
    attendee = await Attendee.filter(event=fair).select_related("organisation").order_by("id").first()
    scan = await client.post(f"{EVENT}/api/leads", headers=callers["exhibitor_a"],
                             json={"payload": badge_payload(attendee), "client_id": secrets.token_hex(8)})
    assert scan.status_code == 201, scan.text
    return {"talks": (await Talk.filter(event=fair).first()).id, "stages": (await Stage.filter(event=fair).first()).id,
            "exhibitors": (await Exhibitor.filter(event=fair).first()).id, "attendees": attendee.id,
            "badges": attendee.id, "leads": scan.json()["id"]}


def _concrete(path: str, ids: dict[str, int]) -> str:
    """``path`` with the event and each ``{...:int}`` filled in by the collection it follows."""
    path = path.replace("{event}", EVENT.strip("/"))
    return re.sub(r"/([\w-]+)/{\w+:int}", lambda m: f"/{m.group(1)}/{ids[m.group(1)]}", path)


def body_operations(app) -> Iterator[tuple[str, str, Operation]]:
    for path, route in api_routes(app.routes):
        assert isinstance(route, ApiRoute)
        for method, operation in route.operations.items():
            if operation.body is not None:
                yield path, method, operation


def text_fields(model: type[BaseModel]) -> Iterator[tuple[str, int | None, bool]]:
    """(name, maxLength, is a list of texts) of every text a body may carry."""
    for name, prop in model.model_json_schema()["properties"].items():
        for option in prop.get("anyOf", [prop]):
            if option.get("type") == "string":
                yield name, option.get("maxLength"), False
            elif option.get("type") == "array" and option["items"].get("type") == "string":
                yield name, option["items"].get("maxLength"), True


@pytest.fixture
async def operations(app, fair, callers, client) -> list[tuple[str, str, dict[str, str], Operation]]:
    """(method, url, caller's headers, operation) of every API operation that reads a JSON body."""
    ids = await _ids(fair, callers, client)
    return [(method, _concrete(path, ids),
             callers[ROLE_CALLER[operation.roles[0]] if operation.roles else "anonymous"], operation)
            for path, method, operation in body_operations(app)]


def _named(response: httpx.Response, field: str) -> bool:
    return any(f["field"] in (field, f"{field}.0") for f in response.json().get("fields", []))


# Oversized bodies


async def _chunks(data: bytes, size: int = 1 << 20) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


@pytest.mark.parametrize("sent", ["with Content-Length", "chunked"])
async def test_an_oversized_api_body_gets_our_413_and_writes_nothing(client, callers, sent):
    before = await row_counts()
    talk = {"title": "For stor", "abstract": "x" * JSON_LIMIT, "starts_at": "2026-11-27T10:00:00+01:00",
            "ends_at": "2026-11-27T10:20:00+01:00"}
    data = json.dumps(talk).encode()
    response = await client.post(f"{EVENT}/api/talks", content=data if sent == "with Content-Length" else _chunks(data),
                                 headers={**callers["organiser"], "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"error": JSON_TOO_LARGE, "status": 413}
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert await row_counts() == before


async def test_an_oversized_form_gets_a_413_page_in_the_visitors_language(client, callers, fair):
    before = await row_counts()
    form = {"name": "Walk-in", "organisation": "x" * LIMIT}
    client.cookies.set("messe_lang", "en")
    response = await client.post(f"{EVENT}/login", data=form, headers={"Accept": "text/html"})
    client.cookies.clear()
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in response.text and "The request is too large (at most 5 MB)" in response.text
    upload = await client.post(f"{EVENT}/admin/attendees/import", headers=callers["organiser"],
                               files={"file": ("deltagere.csv", b"Navn;E-mail\n" + b"a;b@c.dk\n" * (LIMIT // 9))})
    assert upload.status_code == 413 and upload.json()["error"] == TOO_LARGE
    assert await row_counts() == before


# Invalid UTF-8, NUL characters, deep nesting: every operation that reads JSON


async def test_invalid_utf8_in_any_json_body_is_a_clear_400(client, operations):
    wrong = []
    for method, url, headers, _ in operations:
        response = await client.request(method, url, headers={**headers, "Content-Type": "application/json"},
                                        content=b'{"title": "Caf\xe9 \xff\xfe"}')
        if (response.status_code, response.json().get("error")) != (400, "Forespørgslen er ikke gyldig UTF-8"):
            wrong.append(f"{method} {url}: {response.status_code} {response.text[:200]}")
    assert not wrong, "\n".join(wrong)


async def test_a_nul_character_in_any_text_field_is_a_422_naming_the_field(client, operations):
    """PostgreSQL can store no text with NUL in it: refused up front instead of a server error."""
    before = await row_counts()
    wrong, checked = [], 0
    for method, url, headers, operation in operations:
        for field, _, is_list in text_fields(operation.body):
            value = "Kaffe\x00bar"
            response = await client.request(method, url, headers=headers, json={field: [value] if is_list else value})
            checked += 1
            if response.status_code != 422 or not _named(response, field):
                wrong.append(f"{method} {url} {field}: {response.status_code} {response.text[:200]}")
    assert checked > 40 and not wrong, "\n".join(wrong)
    assert await row_counts() == before


async def test_a_very_long_string_in_any_text_field_is_a_422_naming_the_field(client, operations):
    before = await row_counts()
    wrong, checked = [], 0
    for method, url, headers, operation in operations:
        for field, max_length, is_list in text_fields(operation.body):
            value = "å" * max(LONG, (max_length or 0) + 1)
            response = await client.request(method, url, headers=headers, json={field: [value] if is_list else value})
            checked += 1
            if response.status_code != 422 or not _named(response, field):
                wrong.append(f"{method} {url} {field} (maxLength {max_length}): {response.status_code} "
                             f"{response.text[:200]}")
    assert checked > 40 and not wrong, "\n".join(wrong)
    assert await row_counts() == before


@pytest.mark.parametrize(("content", "status", "message"), [
    (b'{"title": ' + b"[" * 30_000 + b"]" * 30_000 + b"}", 400, "JSON-dokumentet er for dybt indlejret"),
    (b'{"title": "uafsluttet', 400, "Ugyldig JSON i linje 1, kolonne 11"),
    (b'["en", "liste"]', 422, "Ugyldige oplysninger"),
    (b"", 400, "Ugyldig JSON i linje 1, kolonne 1"),
])
async def test_malformed_json_is_a_clear_4xx(client, callers, content, status, message):
    response = await client.post(f"{EVENT}/api/announcements", content=content,
                                 headers={**callers["organiser"], "Content-Type": "application/json"})
    assert (response.status_code, response.json()["error"]) == (status, message)


async def test_nul_and_invalid_utf8_in_forms_and_urls_are_refused_clearly(client, callers, fair):
    """A NUL in a form field or the URL (e.g. a search for "%00") is a 400 that says so; invalid
    UTF-8 in a form is read as the replacement character, never a server error."""
    anonymous, door, organiser = callers["anonymous"], callers["door"], callers["organiser"]
    before = await row_counts()
    for path, form, headers in [("login", {"username": "anne\x00", "password": "x"}, anonymous),
                                ("link", {"email": "anne@example.dk\x00"}, anonymous),
                                ("checkin/walk-in", {"name": "Anne\x00", "organisation": "KL"}, door)]:
        response = await client.post(f"{EVENT}/{path}", data=form, headers={**headers, "Accept": "text/html"})
        assert response.status_code == 400, (path, response.text[:300])
        assert "Formularen indeholder tegnet NUL, som ikke er tilladt (felt: " in response.text
    for path, headers in [("exhibitors?q=%00", anonymous), ("api/exhibitors?q=%00", anonymous),
                          ("api/attendees?q=%00", organiser), ("admin/attendees?q=%00", organiser)]:
        response = await client.get(f"{EVENT}/{path}", headers=headers)
        assert response.status_code == 400, (path, response.text[:300])
        assert "Adressen indeholder tegnet NUL (%00), som ikke er tilladt" in response.text
    assert await row_counts() == before

    walk_in = await client.post(f"{EVENT}/checkin/walk-in", content=b"name=Ren%E9+%FF%FEHansen&organisation=KL",
                                headers={**door, "Content-Type": "application/x-www-form-urlencoded"})
    assert walk_in.status_code < 500, walk_in.text[:300]
    for attendee in await Attendee.filter(event=fair, name__contains="Hansen"):
        assert "\ufffd" in attendee.name  # stored as readable text, the broken bytes replaced
    login = await client.post(f"{EVENT}/login", content=b"username=\xff\xfe&password=%FF",
                              headers={**anonymous, "Content-Type": "application/x-www-form-urlencoded"})
    assert login.status_code < 500, login.text[:300]


# Unknown event slugs


@pytest.mark.parametrize("slug", ["no-such-fair", "MESSE13", "møde", "x" * 300, "messe13%00"])
async def test_an_unknown_event_is_404_on_every_route(client, callers, app, slug):
    wrong = []
    for path, method in http_routes(app.routes):
        if "{event}" not in path:
            continue
        url = re.sub(r"{\w+:int}", "1", path).replace("{event}", slug).replace("{token}", "t").replace("{job}", "j")
        response = await client.request(method, url, headers={**callers["organiser"], "Accept": "text/html"})
        if response.status_code not in (400, 404) or "error" not in response.json():
            wrong.append(f"{method} {url}: {response.status_code} {response.text[:120]}")
    assert not wrong, "\n".join(wrong)
    page = await client.get(f"/{slug}/", headers=callers["anonymous"])
    assert page.status_code in (400, 404) and '<html lang="da">' in page.text


# Malformed badge QR payloads, at the door and at a stand


def _forged(fair_slug: str, attendee: Attendee, *, secret: str = "not-the-server-secret") -> str:
    return sign_badge(derive_private_key(secret, fair_slug), attendee.id, attendee.badge_version, fair_slug,
                      attendee.name, "")


def malformed_payloads(attendee: Attendee) -> dict[str, Any]:
    good = badge_payload(attendee)
    return {
        "random bytes": bytes(secrets.randbits(8) for _ in range(200)).decode("latin-1"),
        "random text": secrets.token_urlsafe(150),
        "empty": "",
        "only spaces": "   ",
        "10 KB": "M1:" + "A" * 10_000,
        "wrong prefix": "M2:" + good[3:],
        "no prefix": good[3:],
        "a web address": "https://digitaliseringsmessen.dk/",
        "prefix only": "M1:",
        "not base45": "M1:abc%%%def",
        "too short to hold a signature": "M1:" + base45.encode(b"\x01\x00\x00\x00\x01"),
        "cut short": good[:-20],
        "signed with another key": _forged("messe13", attendee),
        "another event's badge": sign_badge(derive_private_key(TEST_SECRET, "messe12"), attendee.id, 1, "messe12",
                                            attendee.name, ""),
        "a number": 12345,
        "a list": [good],
    }


@pytest.mark.parametrize("scanner", ["door", "exhibitor_a"])
async def test_a_malformed_badge_is_a_422_with_a_reason(client, callers, fair, scanner):
    attendee = await Attendee.filter(event=fair).select_related("organisation").order_by("id").first()
    path = "api/checkins" if scanner == "door" else "api/leads"
    before = (await row_counts(), await Lead.all().count())
    wrong = []
    for name, payload in malformed_payloads(attendee).items():
        response = await client.post(f"{EVENT}/{path}", headers=callers[scanner],
                                     json={"payload": payload, "client_id": secrets.token_hex(8)})
        body = response.json()
        reason = body.get("reason") or (_named(response, "payload") and "payload")
        if response.status_code != 422 or not body.get("error") or not reason:
            wrong.append(f"{name}: {response.status_code} {response.text[:200]}")
    assert not wrong, "\n".join(wrong)
    assert (await row_counts(), await Lead.all().count()) == before
    valid = await client.post(f"{EVENT}/{path}", headers=callers[scanner],
                              json={"payload": badge_payload(attendee), "client_id": secrets.token_hex(8)})
    assert valid.status_code == 201  # the scanner was refused badges, not locked out
