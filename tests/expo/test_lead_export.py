"""Lead exports open as Danish Excel expects: CSV with BOM and semicolons, and XLSX; no formulas."""

from __future__ import annotations

import csv
import io
import re
import uuid

from openpyxl import load_workbook

from messe.expo.domain.lead_export import neutralise
from messe.people.models import Attendee
from tests.conftest import bearer
from tests.scanning.conftest import badge_payload

NOTES = "=HYPERLINK(\"http://evil.example\";\"klik\")\nOg en linje mere; med semikolon"


async def _two_leads(client, visitors, token):
    await Attendee.filter(id=visitors[0].id).update(name="Søren Æbelø-Ågård", consent_share_contact=True,
                                                    email="soeren@ærø.dk", phone="+45 70 10 20 30")
    await Attendee.filter(id=visitors[1].id).update(consent_share_contact=False, email="skjult@example.dk")
    for visitor in await Attendee.filter(id__in=[visitors[0].id, visitors[1].id]).select_related("organisation"):
        await client.post("/messe13/api/leads", headers=bearer(token), json={
            "payload": badge_payload(visitor), "client_id": uuid.uuid4().hex, "rating": 4,
            "notes": NOTES if visitor.id == visitors[0].id else "@SUM(A1:A9)"})


async def test_csv_opens_in_danish_excel(client, visitors, staff_tokens):
    await _two_leads(client, visitors, staff_tokens[0])
    answer = await client.get("/messe13/api/leads/export.csv", headers=bearer(staff_tokens[0]))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert re.match(r'attachment; filename="leads-[A-Z0-9]+\.csv"', answer.headers["content-disposition"])
    raw = answer.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""), delimiter=";"))
    assert rows[0][:3] == ["Skannet", "Navn", "Organisation"]
    by_name = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    søren = by_name["Søren Æbelø-Ågård"]
    assert søren["E-mail"] == "soeren@ærø.dk" and søren["Kontakt delt"] == "Ja"
    assert søren["Telefon"] == "'+45 70 10 20 30"
    assert søren["Noter"] == "'" + NOTES and søren["Vurdering"] == "4"
    hidden = next(row for name, row in by_name.items() if name != "Søren Æbelø-Ågård")
    assert (hidden["E-mail"], hidden["Kontakt delt"], hidden["Noter"]) == ("", "Nej", "'@SUM(A1:A9)")
    assert b"skjult@example.dk" not in raw
    english = await client.get("/messe13/api/leads/export.csv?lang=en", headers=bearer(staff_tokens[0]))
    assert english.content[3:].decode().startswith("Scanned;Name;Organisation")


async def test_xlsx_has_the_same_leads_as_text(client, visitors, staff_tokens):
    await _two_leads(client, visitors, staff_tokens[0])
    answer = await client.get("/messe13/api/leads/export.xlsx", headers=bearer(staff_tokens[0]))
    assert answer.status_code == 200 and answer.content.startswith(b"PK")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Navn" and len(rows) == 3
    søren = next(row for row in rows if row[1] == "Søren Æbelø-Ågård")
    assert søren[9] == NOTES and søren[7] == 4
    cell = next(c for c in sheet["J"] if c.value == NOTES)
    assert cell.data_type == "s"


def test_only_formula_starts_are_neutralised():
    assert [neutralise(t) for t in ("=1+1", "+45", "-x", "@a", "\tx", "Århus", "")] == [
        "'=1+1", "'+45", "'-x", "'@a", "'\tx", "Århus", ""]
