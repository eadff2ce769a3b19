"""Erasure and purge leave no copy of the person behind (issue 14, M7): after an attendee has
been created, searched for, exported, imported again, printed and scanned with notes that name
her, erasing her leaves her name, e-mail and phone in no table, no text column and no output file."""

from __future__ import annotations

import base64
import binascii
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from tortoise import Tortoise, fields

from messe.badges.domain import files
from messe.badges.domain.badge_jobs import JobStore
from messe.expo.models import Exhibitor, Lead
from messe.people.domain.accounts import issue_personal_link_token
from messe.people.domain.privacy import purge
from messe.people.models import Attendee
from tests.admin.conftest import csrf_of, submit
from tests.admin.test_badges_announcements_dashboard import finished, pdf_text, squeezed
from tests.conftest import bearer, make_token
from tests.scanning.conftest import badge_payload

NAME, EMAIL, PHONE = "Rigmor Vængesen-Testrup", "rigmor.vaengesen@example.dk", "+45 61 23 45 99"


def _texts(value: object) -> list[str]:
    """``value`` as text, and what it holds if it is base64 (an upload kept for confirmation)."""
    text = str(value)
    try:
        decoded = base64.b64decode(text, validate=True).decode("utf-8", errors="ignore")
    except (binascii.Error, ValueError):
        return [text]
    return [text, decoded]


async def _database_holding(needles: list[str]) -> list[str]:
    """Every table and text column that still holds one of ``needles``."""
    found = []
    for model in Tortoise.apps["models"].values():
        columns = [name for name, field in model._meta.fields_map.items()
                   if isinstance(field, fields.CharField | fields.TextField | fields.JSONField)]
        for row in await model.all().values(*columns):
            for column, value in row.items():
                if any(needle.casefold() in text.casefold() for text in _texts(value) for needle in needles):
                    found.append(f"{model._meta.db_table}.{column}")
    return found


def _files_holding(folder: Path, needles: list[str]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        text = pdf_text(path) if path.suffix == ".pdf" else squeezed(path.read_text(errors="ignore"))
        if any(squeezed(needle).casefold() in text.casefold() for needle in needles):
            found.append(str(path))
    return found


async def _leave_traces(organiser, fair, tmp_path: Path) -> Attendee:
    """Rigmor, copied everywhere messe keeps things."""
    created = await submit(organiser, "attendees/new", {"name": NAME, "email": EMAIL, "phone": PHONE,
                                                        "role": "deltager", "language": "da"})
    assert created.status_code == 303, created.text
    rigmor = await Attendee.get(event=fair, email=EMAIL)
    assert (await organiser.get("/messe13/admin/attendees/export.csv", params={"q": NAME})).status_code == 200
    page = await organiser.get("/messe13/admin/attendees/import")
    upload = await organiser.post("/messe13/admin/attendees/import", data={"csrf_token": csrf_of(page.text)},
                                  files={"file": ("deltagere.csv", f"Navn;E-mail\r\n{NAME};{EMAIL}\r\n".encode(),
                                                  "text/csv")})
    assert upload.status_code == 200, upload.text
    reprinted = await submit(organiser, f"attendees/{rigmor.id}/reprint", {})
    assert (await finished(organiser, reprinted.headers["location"] + ".json"))["state"] == "done"
    files.OUT_DIR.mkdir(parents=True, exist_ok=True)
    printed = await organiser.get(reprinted.headers["location"] + ".pdf")
    (files.OUT_DIR / "messe13-a6.pdf").write_bytes(printed.content)  # as `messe badges` leaves it
    stand = await Exhibitor.filter(event=fair).first()
    await rigmor.refresh_from_db()  # the reprint gave her badge version 2
    await rigmor.fetch_related("organisation")
    scanned = await organiser.post("/messe13/api/leads", headers=bearer(await make_token(fair, "exhibitor", stand)),
                                   json={"payload": badge_payload(rigmor), "client_id": secrets.token_hex(8),
                                         "notes": f"Ring til {NAME} på {PHONE} eller skriv til {EMAIL}"})
    assert scanned.status_code in (200, 201), scanned.text
    needles = [NAME, EMAIL, PHONE]
    assert set(await _database_holding(needles)) >= {"attendee.name", "audit_entry.detail", "lead.notes",
                                                     "pending_import.content"}
    assert _files_holding(tmp_path, needles)
    return rigmor


async def test_an_attendee_who_erases_herself_is_in_no_table_and_no_file(organiser, fair, jobs: JobStore,
                                                                         tmp_path, monkeypatch, app):
    monkeypatch.setattr(files, "OUT_DIR", tmp_path / "out")
    rigmor = await _leave_traces(organiser, fair, tmp_path)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as phone:
        await phone.get(f"/messe13/link/{await issue_personal_link_token(rigmor)}")
        my_data = (await phone.get("/messe13/me/data")).text
        assert "Udstillernes noter om dig slettes" in my_data, "the rule for what exhibitors keep is shown"
        erased = await phone.post("/messe13/me/erase", data={"csrf_token": csrf_of(my_data), "confirm": "yes"})
        assert erased.status_code == 303
    assert await _database_holding([NAME, EMAIL, PHONE]) == []
    assert _files_holding(tmp_path, [NAME, EMAIL, PHONE]) == []
    lead = await Lead.get(attendee=rigmor)
    assert lead.notes == "", "the exhibitor keeps that the lead happened, not the notes"


async def test_purge_after_the_fair_leaves_no_lead_notes_or_audit_details(organiser, fair, jobs: JobStore,
                                                                         tmp_path, monkeypatch):
    monkeypatch.setattr(files, "OUT_DIR", tmp_path / "out")
    await _leave_traces(organiser, fair, tmp_path)
    fair.ends_at = datetime.now(UTC) - timedelta(days=31)
    await fair.save()
    assert await purge(fair, after_days=30) > 0
    assert await _database_holding([NAME, EMAIL, PHONE]) == []
    assert _files_holding(tmp_path, [NAME, EMAIL, PHONE]) == []
