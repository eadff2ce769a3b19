"""Attendees as a CSV file that opens correctly in Danish Excel and in LibreOffice: UTF-8 with
a BOM, semicolons, CRLF, and no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from messe.common.audit import record
from messe.common.models import Event
from messe.people.domain.attendee_search import attendee_query
from messe.people.domain.imports import EXPORT_HEADERS, neutralise
from messe.people.models import Attendee

LANGUAGE_NAMES = {"da": "dansk", "en": "engelsk"}  # words the import reads back
HEADER = [*EXPORT_HEADERS.values(), "Badge-version", "Badge printet"]


def _row(attendee: Attendee) -> list[str]:
    organisation = attendee.organisation.name if attendee.organisation else ""
    printed = attendee.badge_printed_at.isoformat(timespec="minutes") if attendee.badge_printed_at else ""
    return [attendee.name, attendee.email, attendee.phone, organisation, attendee.job_title, attendee.role,
            "ja" if attendee.consent_share_contact else "nej", LANGUAGE_NAMES.get(attendee.language, ""),
            str(attendee.badge_version), printed]


def attendees_csv(attendees: Iterable[Attendee]) -> bytes:
    """The attendees (organisation fetched) as CSV bytes; the import reads this file back."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for attendee in attendees:
        writer.writerow([neutralise(cell) for cell in _row(attendee)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


async def export_attendees(event: Event, text: str, role: str, *, actor: str) -> bytes:
    """The CSV of the attendees a search finds; the audit log notes who took their data out."""
    attendees = await attendee_query(event, text, role).prefetch_related("organisation")
    await record(event, actor, "attendees.exported", None, count=len(attendees), search=text, role=role)
    return attendees_csv(attendees)
