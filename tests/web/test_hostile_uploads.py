"""Hostile uploads an organiser might be sent (or an attacker with an organiser's session might try)
get a clear 4xx that names the problem, never a server error, and import nothing: spreadsheets with
XML entity tricks, frab JSON nested absurdly deep or with the wrong shape. And pages that show a
person's data tell every cache not to keep them."""

from __future__ import annotations

import asyncio
import html
import io
import json
import secrets
import time
import zipfile

import httpx
import pytest
from openpyxl import Workbook

from messe.expo.models import Exhibitor
from messe.people.domain.accounts import create_account
from messe.people.models import Attendee
from tests.admin.conftest import PASSWORD, csrf_of, sign_in
from tests.conftest import bearer, make_token
from tests.scanning.conftest import badge_payload
from tests.web.conftest import EVENT, row_counts

LAUGHS = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
DTD_REFUSED = "Regnearket indeholder en DTD (<!DOCTYPE …> i xl/worksheets/sheet1.xml), som Excel aldrig skriver"


@pytest.fixture
async def organiser(client: httpx.AsyncClient, fair) -> httpx.AsyncClient:
    """``client``, signed in as an organiser."""
    await create_account(fair, "anne", PASSWORD, "organiser", name="Anne Ærø")
    await sign_in(client, "anne")
    return client


def xlsx_with(doctype: str, cell: str) -> bytes:
    """A real attendee list whose first sheet starts with ``doctype`` and holds ``cell`` as a name."""
    workbook = Workbook()
    workbook.active.append(["Navn", "E-mail"])
    workbook.active.append(["NAME", "anne@example.dk"])
    plain = io.BytesIO()
    workbook.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name).decode()
            if name == "xl/worksheets/sheet1.xml":
                content = doctype + content.split("?>", 1)[-1]
                content = content.replace("<t>NAME</t>", f"<t>{cell}</t>")
            target.writestr(name, content)
    return out.getvalue()


def xlsx_bomb(rows: int = 15_000, name_length: int = 2_000) -> bytes:
    """An attendee list under the row limit whose every row is one long name: about 30 MB of XML
    packed into a few hundred KB."""
    plain = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["Navn", "E-mail"])
    workbook.save(plain)
    row = (b'<row><c t="inlineStr"><is><t>' + b"A" * name_length + b'</t></is></c>'
           b'<c t="inlineStr"><is><t>a@b.dk</t></is></c></row>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != "xl/worksheets/sheet1.xml":
                target.writestr(name, source.read(name))
                continue
            head, tail = source.read(name).decode().replace('ref="A1:B1"', f'ref="A1:B{rows + 1}"').split(
                "</sheetData>")
            with target.open(name, "w") as sheet:
                sheet.write(head.encode())
                for _ in range(rows // 100):
                    sheet.write(row * 100)
                sheet.write(b"</sheetData>" + tail.encode())
    return out.getvalue()


def frab(talk: dict) -> bytes:
    return json.dumps({"schedule": {"version": "1", "conference": {
        "acronym": "messe13", "title": "Messe", "time_zone_name": "Europe/Copenhagen",
        "days": [{"date": "2026-11-27", "rooms": {"Sal A": [talk]}}]}}}).encode()


TALK = {"id": 7, "guid": "g7", "title": "Data i kommunerne", "date": "2026-11-27T10:00:00+01:00",
        "duration": "00:30", "room": "Sal A", "persons": [{"id": 1, "public_name": "Anne"}]}


async def _upload(client: httpx.AsyncClient, section: str, filename: str, content: bytes) -> httpx.Response:
    page = await client.get(f"{EVENT}/admin/{section}")
    return await client.post(f"{EVENT}/admin/{section}", data={"csrf_token": csrf_of(page.text)},
                             files={"file": (filename, content, "application/octet-stream")})


@pytest.mark.parametrize(("doctype", "cell", "shown"), [
    ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY who "Anne">]>', "&who;", DTD_REFUSED),
    ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY who SYSTEM "file:///etc/passwd">]>', "&who;", DTD_REFUSED),
    (f'<?xml version="1.0"?><!DOCTYPE worksheet [{LAUGHS}]>', "&lol9;", DTD_REFUSED),
    ('<?xml version="1.0"?>', "&who;", "Regnearkets XML kan ikke læses: undefined entity"),
], ids=["internal entity", "external entity", "billion laughs", "undefined entity"])
async def test_a_spreadsheet_with_xml_entity_tricks_is_refused_naming_the_problem(organiser, fair, doctype, cell,
                                                                                shown):
    before = await row_counts()
    response = await _upload(organiser, "attendees/import", "deltagere.xlsx", xlsx_with(doctype, cell))
    assert response.status_code == 422, response.text[:300]
    assert shown in html.unescape(response.text)
    assert await row_counts() == before


async def test_a_spreadsheet_zip_bomb_is_refused_before_it_is_opened_and_stalls_no_one(organiser, fair):
    bomb = xlsx_bomb()
    assert len(bomb) < 1_000_000
    before = await row_counts()
    page = await organiser.get(f"{EVENT}/admin/attendees/import")

    async def stages_meanwhile() -> float:
        await asyncio.sleep(0.01)
        started = time.perf_counter()
        assert (await organiser.get(f"{EVENT}/api/stages")).status_code == 200
        return time.perf_counter() - started

    started = time.perf_counter()
    response, waited = await asyncio.gather(
        organiser.post(f"{EVENT}/admin/attendees/import", data={"csrf_token": csrf_of(page.text)},
                       files={"file": ("deltagere.xlsx", bomb, "application/octet-stream")}),
        stages_meanwhile())
    took = time.perf_counter() - started
    assert response.status_code == 422, response.text[:300]
    assert "Regnearket ligner en zip-bombe: xl/worksheets/sheet1.xml pakkes ud til" in html.unescape(response.text)
    assert took < 1.0 and waited < 0.5, (took, waited)
    assert await row_counts() == before


async def test_the_same_spreadsheet_without_the_trick_is_read(organiser, fair):
    response = await _upload(organiser, "attendees/import", "deltagere.xlsx", xlsx_with('<?xml version="1.0"?>',
                                                                                        "Anne Ærø"))
    assert response.status_code == 200 and "Anne Ærø" in response.text


@pytest.mark.parametrize(("content", "shown"), [
    (b'{"schedule": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
     "JSON-filen er for dybt indlejret (højst ca. 1000 niveauer)"),
    (frab({**TALK, "persons": 5}), "id 7: 'persons' skal være en liste, men er af JSON-typen number"),
    (frab({**TALK, "persons": "Anne"}), "'persons' skal være en liste, men er af JSON-typen string"),
    (json.dumps({"schedule": {"conference": {"days": 5}}}).encode(),
     "'days' skal være en liste, men er af JSON-typen number"),
    (json.dumps({"schedule": {"conference": {"days": [{"date": "2026-11-27", "rooms": [1]}]}}}).encode(),
     "'rooms' skal være et JSON-objekt, men er af JSON-typen array"),
    (json.dumps({"schedule": {"conference": {"days": [], "rooms": 3}}}).encode(),
     "'rooms' skal være en liste, men er af JSON-typen number"),
], ids=["nested 100,000 deep", "persons a number", "persons a string", "days a number", "rooms a list",
        "conference rooms a number"])
async def test_a_frab_file_of_the_wrong_shape_is_refused_naming_the_problem(organiser, fair, content, shown):
    before = await row_counts()
    response = await _upload(organiser, "programme/import", "schedule.json", content)
    assert response.status_code == 422, response.text[:300]
    assert shown in html.unescape(response.text)
    assert await row_counts() == before


async def test_the_problem_is_named_in_english_for_an_english_organiser(organiser, fair):
    organiser.cookies.set("messe_lang", "en")
    response = await _upload(organiser, "programme/import", "schedule.json", frab({**TALK, "persons": 5}))
    assert response.status_code == 422
    assert "'persons' must be a list, but is a JSON number" in html.unescape(response.text)
    response = await _upload(organiser, "attendees/import", "attendees.xlsx",
                             xlsx_with(f'<?xml version="1.0"?><!DOCTYPE worksheet [{LAUGHS}]>', "&lol9;"))
    assert response.status_code == 422 and "which Excel never writes" in response.text


async def test_a_persons_own_data_and_an_exhibitors_leads_are_never_cached(client, fair, callers):
    attendee = await Attendee.filter(event=fair).select_related("organisation").order_by("id").first()
    staff = bearer(await make_token(fair, "exhibitor", await Exhibitor.filter(event=fair).order_by("stand").first()))
    scan = await client.post(f"{EVENT}/api/leads", headers=staff,
                             json={"payload": badge_payload(attendee), "client_id": secrets.token_hex(8)})
    assert scan.status_code == 201
    lead = scan.json()["id"]
    answers = {path: await client.get(f"{EVENT}/{path}", headers=staff)
               for path in ("leads/", f"leads/{lead}", "api/leads", f"api/leads/{lead}")}
    answers |= {path: await client.get(f"{EVENT}/{path}", headers=callers["attendee"])
                for path in ("me/data", "me/data.json")}
    for path, response in answers.items():
        assert response.status_code == 200, (path, response.status_code)
        assert response.headers.get("cache-control") == "no-store", path
    public = await client.get(f"{EVENT}/api/stages")
    assert "no-store" not in public.headers.get("cache-control", "")  # the public programme stays cacheable
