"""An exhibitor's leads as a spreadsheet: CSV as Danish Excel opens it, and XLSX.

CSV: UTF-8 with a byte-order mark (so Excel does not guess a legacy code page), semicolons (the
list separator under Danish regional settings) and CRLF line ends. A cell that begins with
``= + - @`` (or a tab or carriage return) would be run as a formula by a spreadsheet; it gets a
leading apostrophe. In XLSX every text is stored as a string cell, which is never a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from messe.expo.domain.leads import contact_of
from messe.expo.models import Lead

Cell = str | int | datetime
COLUMNS = ("Skannet", "Navn", "Organisation", "Stilling", "E-mail", "Telefon", "Kontakt delt", "Vurdering",
           "Tags", "Noter", "Skannet af")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WIDTHS = (17, 28, 28, 24, 30, 16, 12, 10, 24, 50, 20)


def lead_table(leads: Iterable[Lead], tz: str, translate: Callable[[str], str]) -> list[list[Cell]]:
    """A header row and one row per lead; times in the event's time zone. The leads must come from
    ``leads_of`` (attendee, organisation and scanner fetched)."""
    zone = ZoneInfo(tz)
    rows: list[list[Cell]] = [[translate(c) for c in COLUMNS]]
    for lead in leads:
        attendee = lead.attendee
        contact = contact_of(attendee)
        rows.append([
            lead.scanned_at.astimezone(zone), attendee.name,
            attendee.organisation.name if attendee.organisation else "", attendee.job_title,
            contact.email or "", contact.phone or "", translate("Ja" if contact.shared else "Nej"), lead.rating,
            ", ".join(lead.tags), lead.notes, lead.scanned_by.name if lead.scanned_by else "",
        ])
    return rows


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _csv_cell(value: Cell) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return neutralise(value) if isinstance(value, str) else str(value)


def to_csv(rows: list[list[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def to_xlsx(rows: list[list[Cell]], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, datetime):
                cell.value = value.replace(tzinfo=None)
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"
            else:
                cell.value = value
            if r == 1:
                cell.font = Font(bold=True)
    for c, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
