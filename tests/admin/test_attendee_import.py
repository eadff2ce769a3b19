"""Importing attendees from files as Danish Excel writes them, all or nothing; exporting them."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
from openpyxl import Workbook

from messe.common.refusal import Refusal
from messe.people.domain.attendee_export import attendees_csv
from messe.people.domain.imports import parse_attendees
from messe.people.models import Attendee
from tests.admin.conftest import csrf_of

GOOD = (
    "Navn;E-mail;Organisation;Stilling;Rolle;Samtykke\r\n"
    "Søren Ærø Åkjær;soeren@aeroe.dk;Ærø Kommune;Digitaliseringschef;deltager;ja\r\n"
    "Zofia Wójcik-Łęcka;zofia@example.pl;Rambøll;Konsulent;udstiller;nej\r\n"
    "Nguyễn Thị Minh;minh@kk.dk;Københavns Kommune;;taler;\r\n"
)


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_danish_excel_csv_with_bom_and_semicolons():
    parsed = parse_attendees(("\ufeff" + GOOD).encode("utf-8"), "deltagere.csv")
    assert parsed.errors == []
    assert [r.name for r in parsed.rows] == ["Søren Ærø Åkjær", "Zofia Wójcik-Łęcka", "Nguyễn Thị Minh"]
    first = parsed.rows[0]
    assert (first.line, first.email, first.organisation, first.job_title, first.role, first.consent_share_contact) \
        == (2, "soeren@aeroe.dk", "Ærø Kommune", "Digitaliseringschef", "deltager", True)
    assert parsed.rows[2].role == "taler" and parsed.rows[2].consent_share_contact is False
    assert (parsed.table.encoding, parsed.table.delimiter) == ("UTF-8", ";")


def test_windows_1252_and_latin_1_files():
    text = "Navn;E-mail\r\nÅse Ørsted;aase@example.dk\r\n"
    for encoding in ("cp1252", "latin-1"):
        parsed = parse_attendees(text.encode(encoding), "gammel.csv")
        assert parsed.rows[0].name == "Åse Ørsted"
    assert parse_attendees("Navn\r\nJosé – “Pepe”\r\n".encode("cp1252"), "x.csv").table.encoding == "Windows-1252"


def test_english_headers_commas_first_and_last_name_and_unknown_columns():
    text = ("First name,Last name,Email,Organization,Job title,Role,Consent,Shoe size\n"
            "Anna,Berg,a@b.dk,KL,Chef,Speaker,yes,38\n")
    parsed = parse_attendees(text.encode(), "people.csv")
    row = parsed.rows[0]
    assert (row.name, row.organisation, row.role, row.consent_share_contact) == ("Anna Berg", "KL", "taler", True)
    assert parsed.ignored == ["Shoe size"] and parsed.table.delimiter == ","
    assert parsed.fields == {"name", "email", "organisation", "job_title", "role", "consent_share_contact"}


def test_xlsx_with_numbers_and_booleans():
    content = xlsx([["Navn", "Telefon", "Samtykke", "Rolle"], ["Ida Holm", 12345678, True, "presse"], [None, None],
                    ["Bo Lund", 87654321.0, False, None]])
    parsed = parse_attendees(content, "deltagere.xlsx")
    assert [(r.line, r.name, r.phone, r.consent_share_contact, r.role) for r in parsed.rows] == [
        (2, "Ida Holm", "12345678", True, "presse"), (4, "Bo Lund", "87654321", False, "deltager")]


def test_every_bad_row_with_line_number_and_reason():
    text = ("Navn;E-mail;Rolle;Samtykke\n"
            "Anna;anna@example.dk;deltager;ja\n"
            ";mangler@navn.dk;deltager;ja\n"
            "Bo;ikke-en-mail;gæst;måske\n"
            "\"Cai\nmed linjeskift\";cai@example.dk;taler;nej\n"
            "Dan;ANNA@example.dk;deltager;nej\n"
            "Eva;eva@example.dk;deltager;ja;ekstra\n")
    parsed = parse_attendees(text.encode(), "fejl.csv")
    assert [(e.line, e.column, e.template) for e in parsed.errors] == [
        (3, "Navn", "Navnet mangler"),
        (4, "E-mail", "Ugyldig e-mailadresse"),
        (4, "Rolle", "Ukendt rolle; brug deltager, udstiller, taler, presse eller arrangør"),
        (4, "Samtykke", "Skriv ja eller nej"),
        (7, "E-mail", "E-mailadressen står også i linje {line}"),
        (8, "", "Linjen har flere felter end overskriften ({count}); står der et semikolon i et felt uden "
                "anførselstegn?"),
    ]
    assert parsed.errors[4].values == {"line": 2}
    assert [r.line for r in parsed.rows] == [2, 5]  # the multi-line name starts on line 5


@pytest.mark.parametrize(("content", "name", "reason"), [
    (b"", "tom.csv", "Filen er tom"),
    (b"E-mail;Rolle\na@b.dk;deltager\n", "x.csv", "Filen mangler kolonnen Navn"),
    (b"Navn;Name\nA;B\n", "x.csv", "to gange"),
    (b"Navn;E-mail\n", "x.csv", "ingen deltagere"),
    (b"PK\x03\x04not really a zip", "x.xlsx", "Excel-regneark"),
    (b"\xd0\xcf\x11\xe0old", "x.xls", ".xls"),
])
def test_files_that_cannot_be_used(content, name, reason):
    with pytest.raises(Refusal) as caught:
        parse_attendees(content, name)
    assert reason in str(caught.value)


def test_export_is_excel_csv_without_formulas_and_reads_back():
    org = SimpleNamespace(name="=HYPERLINK(\"http://evil\")")
    person = {"email": "", "phone": "", "job_title": "", "badge_printed_at": None, "organisation": None}
    people = [SimpleNamespace(**{**person, "name": "-2+3", "email": "a@b.dk", "phone": "+45 12 34 56 78",
                                 "organisation": org, "job_title": "@chef", "role": "taler",
                                 "consent_share_contact": True, "language": "en", "badge_version": 2}),
              SimpleNamespace(**{**person, "name": "Åse; Ørsted", "role": "deltager", "consent_share_contact": False,
                                 "language": "da", "badge_version": 1})]
    data = attendees_csv(people)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:8] == ["Navn", "E-mail", "Telefon", "Organisation", "Stilling", "Rolle", "Samtykke", "Sprog"]
    assert rows[1][:8] == ["'-2+3", "a@b.dk", "'+45 12 34 56 78", "'=HYPERLINK(\"http://evil\")", "'@chef", "taler",
                           "ja", "engelsk"]
    assert rows[2][0] == "Åse; Ørsted"
    again = parse_attendees(data, "eksport.csv")
    assert again.errors == [] and again.rows[0].name == "-2+3" and again.rows[0].phone == "+45 12 34 56 78"
    assert [row.language for row in again.rows] == ["en", "da"]
    assert again.ignored == ["Badge-version", "Badge printet"]


def test_a_language_column_sets_each_attendees_language():
    content = "Navn;E-mail;Sprog\r\nJane Doe;jane@example.org;English\r\nÅse;aase@example.dk;\r\n" \
              "Pierre;pierre@example.fr;fransk\r\n"
    parsed = parse_attendees(content.encode(), "deltagere.csv")
    assert [(row.name, row.language) for row in parsed.rows] == [("Jane Doe", "en"), ("Åse", "da")]
    assert [(e.line, e.column, e.value, e.template) for e in parsed.errors] == [
        (4, "Sprog", "fransk", "Ukendt sprog; skriv dansk eller engelsk")]


async def _upload(client, content: bytes, filename: str):
    page = await client.get("/messe13/admin/attendees/import")
    return await client.post("/messe13/admin/attendees/import", data={"csrf_token": csrf_of(page.text)},
                             files={"file": (filename, content, "text/csv")})


async def test_one_bad_row_imports_nothing_and_shows_the_row_and_reason(organiser, fair):
    before = await Attendee.filter(event=fair).count()
    content = (GOOD + "Bo Bad;bo-at-example.dk;deltager;deltager;gæst;ja\r\n").encode("cp1252", errors="replace")
    response = await _upload(organiser, content, "deltagere.csv")
    assert response.status_code == 422
    assert "Intet er importeret" in response.text
    assert "<th scope=\"row\">5</th>" in response.text and "Ugyldig e-mailadresse" in response.text
    assert "bo-at-example.dk" in response.text and "Ukendt rolle" in response.text
    assert "/admin/attendees/import/" not in response.text.split("Fejl i filen")[1]  # no confirm button
    assert await Attendee.filter(event=fair).count() == before


async def test_preview_then_import_creates_and_updates_by_email(organiser, fair):
    existing = await Attendee.filter(event=fair).exclude(email="").prefetch_related("organisation").first()
    content = (GOOD + f"Ny Titel Person;{existing.email.upper()};;Ny stilling;presse;nej\r\n").encode()
    before = await Attendee.filter(event=fair).count()
    preview = await _upload(organiser, content, "deltagere.csv")
    assert preview.status_code == 200
    assert "3 nye og 1 med en e-mailadresse" in preview.text
    assert '<th scope="col">Sprog</th>' in preview.text and "<td>Dansk</td>" in preview.text
    assert await Attendee.filter(event=fair).count() == before  # nothing saved by the preview
    action = preview.text.split('action="/messe13/admin/attendees/import/')[1].split('"')[0]
    done = await organiser.post(f"/messe13/admin/attendees/import/{action}", data={"csrf_token": csrf_of(preview.text)})
    assert done.status_code == 303 and done.headers["location"] == "/messe13/admin/attendees"
    assert "3 deltagere oprettet og 1 opdateret" in (await organiser.get(done.headers["location"])).text
    assert await Attendee.filter(event=fair).count() == before + 3
    soeren = await Attendee.get(event=fair, email="soeren@aeroe.dk").prefetch_related("organisation")
    assert soeren.organisation.name == "Ærø Kommune" and soeren.consent_share_contact
    await existing.refresh_from_db()
    assert (existing.name, existing.job_title, existing.role) == ("Ny Titel Person", "Ny stilling", "presse")
    assert existing.organisation_id is None  # the file had an Organisation column, empty for this row
    again = await organiser.post(f"/messe13/admin/attendees/import/{action}",
                                 data={"csrf_token": csrf_of(preview.text)})
    assert again.status_code == 404  # a second click imports nothing twice
    assert await Attendee.filter(event=fair).count() == before + 3


async def test_update_leaves_columns_the_file_does_not_have(organiser, fair):
    existing = await Attendee.filter(event=fair, organisation_id__not_isnull=True).exclude(email="").first()
    preview = await _upload(organiser, f"Navn;E-mail\r\nOmdøbt;{existing.email}\r\n".encode(), "navne.csv")
    action = preview.text.split('action="/messe13/admin/attendees/import/')[1].split('"')[0]
    await organiser.post(f"/messe13/admin/attendees/import/{action}", data={"csrf_token": csrf_of(preview.text)})
    organisation_id, phone, role = existing.organisation_id, existing.phone, existing.role
    await existing.refresh_from_db()
    assert existing.name == "Omdøbt"
    assert (existing.organisation_id, existing.phone, existing.role) == (organisation_id, phone, role)


async def test_xlsx_upload_and_unreadable_file(organiser, fair):
    preview = await _upload(organiser, xlsx([["Navn", "E-mail"], ["Xi Jinping-Ørsted", "xi@example.dk"]]), "a.xlsx")
    assert preview.status_code == 200 and "Xi Jinping-Ørsted" in preview.text
    bad = await _upload(organiser, b"E-mail\nx@y.dk\n", "a.csv")
    assert bad.status_code == 422 and "Filen mangler kolonnen Navn" in bad.text
    page = await organiser.get("/messe13/admin/attendees/import")
    none = await organiser.post("/messe13/admin/attendees/import", data={"csrf_token": csrf_of(page.text)})
    assert none.status_code == 422 and "Vælg en CSV- eller Excel-fil" in none.text


async def test_export_of_a_search(organiser, fair):
    response = await organiser.get("/messe13/admin/attendees/export.csv?role=taler")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="deltagere-messe13.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) - 1 == await Attendee.filter(event=fair, role="taler").count()
    assert all(row[5] == "taler" for row in rows[1:])


async def test_the_preview_names_each_language_in_that_language(organiser, fair):
    content = "Navn;E-mail;Sprog\r\nJane Doe;jane-sprog@example.org;English\r\nÅse;aase-sprog@example.dk;\r\n"
    preview = await _upload(organiser, content.encode(), "sprog.csv")
    # A screen reader reads "English" in English on the Danish page (WCAG 3.1.2).
    assert '<td><span lang="en">English</span></td>' in preview.text and "<td>Dansk</td>" in preview.text
