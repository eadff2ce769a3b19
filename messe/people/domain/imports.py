"""Reading attendee lists as organisers have them: CSV or XLSX as Danish Excel writes them.

Pure functions, no database: :func:`parse_attendees` turns the bytes of an uploaded file into
checked rows and, for every bad row, its line number and the reason. CSV files may be
semicolon-, comma- or tab-separated, UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode
text") or Windows-1252/Latin-1. Headers may be Danish or English. Messages are Danish templates
with ``{values}``, so the interface can translate them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from messe.common.refusal import Refusal
from messe.people.models import AttendeeRole

MAX_ROWS = 20_000
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Spreadsheets run a cell starting with one of these as a formula; exports prefix it with "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Field name -> the headers that mean it (compared after header_key()).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("navn", "fulde navn", "name", "full name"),
    "first_name": ("fornavn", "first name", "given name"),
    "last_name": ("efternavn", "last name", "surname", "family name"),
    "email": ("e-mail", "email", "e-mailadresse", "e-mail-adresse", "mail", "email address", "e-mail address"),
    "phone": ("telefon", "tlf", "tlf.", "mobil", "telefonnummer", "phone", "telephone", "mobile"),
    "organisation": ("organisation", "organization", "arbejdsplads", "myndighed", "virksomhed", "company",
                     "employer"),
    "job_title": ("stilling", "titel", "jobtitel", "job title", "title", "position"),
    "role": ("rolle", "deltagertype", "role"),
    "consent_share_contact": ("samtykke", "samtykke til deling", "del kontaktoplysninger", "consent",
                              "share contact details"),
    "language": ("sprog", "language"),
}
# The headers an export writes and the import reads back.
EXPORT_HEADERS = {"name": "Navn", "email": "E-mail", "phone": "Telefon", "organisation": "Organisation",
                  "job_title": "Stilling", "role": "Rolle", "consent_share_contact": "Samtykke", "language": "Sprog"}
MAX_LENGTH = {"name": 200, "email": 254, "phone": 40, "organisation": 200, "job_title": 200}

ROLE_WORDS = {
    AttendeeRole.DELTAGER: ("deltager", "attendee", "participant", "delegate"),
    AttendeeRole.UDSTILLER: ("udstiller", "exhibitor"),
    AttendeeRole.TALER: ("taler", "oplægsholder", "speaker"),
    AttendeeRole.PRESSE: ("presse", "journalist", "press"),
    AttendeeRole.ARRANGOER: ("arrangør", "arrangoer", "organiser", "organizer", "staff"),
}
LANGUAGE_WORDS = {"da": ("da", "dansk", "danish", "dk"), "en": ("en", "engelsk", "english", "eng")}
YES = ("ja", "j", "x", "1", "sand", "yes", "y", "true")
NO = ("nej", "n", "0", "falsk", "no", "false")


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    template: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AttendeeRow:
    line: int
    name: str
    email: str
    phone: str
    organisation: str
    job_title: str
    role: str
    consent_share_contact: bool
    language: str = "da"

    def values(self) -> dict[str, Any]:
        """The attendee's fields, as ``create_attendee`` takes them."""
        return {"name": self.name, "email": self.email, "phone": self.phone, "organisation": self.organisation,
                "job_title": self.job_title, "role": self.role,
                "consent_share_contact": self.consent_share_contact, "language": self.language}


@dataclass(frozen=True)
class Table:
    """A sheet's header and its data rows, each with the line it starts on."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    file_format: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""


@dataclass
class ParsedAttendees:
    rows: list[AttendeeRow]
    errors: list[RowError]
    table: Table
    columns: dict[str, str]  # field -> header as written in the file
    ignored: list[str]

    @property
    def fields(self) -> set[str]:
        """The attendee fields the file has columns for."""
        return {"name"} | (self.columns.keys() - {"first_name", "last_name"})


def header_key(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").strip().strip(":*").lower().replace("_", " ").split())


def neutralise(value: str) -> str:
    """A cell value that a spreadsheet shows as text and never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _unneutralise(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_STARTS) else value


def decode(content: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of the encoding it was in."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace"), "UTF-8"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "UTF-16"
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "Latin-1"


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def read_csv(content: bytes) -> Table:
    text, encoding = decode(content)
    delimiter = _delimiter(text.lstrip("\r\n").split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    line = 1
    try:
        for record in reader:
            if header is None:
                if any(cell.strip() for cell in record):
                    header = record
            else:
                rows.append((line, record))
            line = reader.line_num + 1
            if len(rows) > MAX_ROWS:
                raise Refusal.invalid("Filen har mere end {max} rækker; del den op", max=MAX_ROWS)
    except csv.Error as exc:
        raise Refusal.invalid("Filen kan ikke læses som CSV i linje {line}: {reason}", line=line,
                              reason=str(exc)) from None
    if header is None:
        raise Refusal.invalid("Filen er tom")
    return Table(header, rows, "csv", encoding, delimiter)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


XML_HEAD = 4096  # bytes of each XML part looked at for a DTD before the workbook is opened
MAX_UNPACKED = 32 * 2**20  # a 20,000-row attendee list unpacks to about 7 MB
MAX_RATIO = 200  # real spreadsheets pack their XML 5-30 times (a 20,000-row list: 10); a zip bomb hundreds
MAX_PARTS = 1000


def _check_archive(content: bytes) -> None:
    """Refuse a spreadsheet before anything parses it when it would unpack to far more than an
    attendee list ever does (a zip bomb; the sizes in the zip directory bound what reading can
    produce, since ``zipfile`` stops at them), or when it holds a DTD: Excel never writes one
    (``<!DOCTYPE``), and one is how XML entity tricks (a billion laughs, a reference to a file on the
    server) get in."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if len(members) > MAX_PARTS:
                raise Refusal.invalid("Regnearket har for mange dele ({count}); højst {max} kan læses",
                                      count=len(members), max=MAX_PARTS)
            unpacked = sum(member.file_size for member in members)
            if unpacked > MAX_UNPACKED:
                raise Refusal.invalid("Regnearket fylder {size} MB udpakket; højst {max} MB kan læses",
                                      size=unpacked // 2**20, max=MAX_UNPACKED // 2**20)
            for member in members:
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > 2**20 and ratio > MAX_RATIO:
                    raise Refusal.invalid("Regnearket ligner en zip-bombe: {part} pakkes ud til {ratio} gange "
                                          "sin størrelse", part=member.filename[:100], ratio=int(ratio))
            for member in members:
                if member.filename.endswith((".xml", ".rels", ".vml")) and not member.is_dir():
                    with archive.open(member) as part:
                        if b"<!DOCTYPE" in part.read(XML_HEAD).upper():
                            raise Refusal.invalid("Regnearket indeholder en DTD (<!DOCTYPE …> i {part}), som "
                                                  "Excel aldrig skriver; gem filen igen fra Excel eller som CSV",
                                                  part=member.filename[:100])
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, zlib.error):
        raise Refusal.invalid("Filen kan ikke læses som et Excel-regneark (.xlsx)") from None


def read_xlsx(content: bytes) -> Table:
    from xml.etree.ElementTree import ParseError

    from lxml.etree import XMLSyntaxError
    from openpyxl import load_workbook

    _check_archive(content)
    try:
        return _read_workbook(load_workbook(io.BytesIO(content), read_only=True, data_only=True))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise Refusal.invalid("Filen kan ikke læses som et Excel-regneark (.xlsx)") from None
    except (ParseError, XMLSyntaxError) as exc:
        raise Refusal.invalid("Regnearkets XML kan ikke læses: {reason}", reason=str(exc)[:200]) from None


def _read_workbook(workbook: Any) -> Table:
    try:
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if header is None:
                if any(c.strip() for c in cells):
                    header = cells
            else:
                rows.append((number, cells))
                if len(rows) > MAX_ROWS:
                    raise Refusal.invalid("Filen har mere end {max} rækker; del den op", max=MAX_ROWS)
    finally:
        workbook.close()
    if header is None:
        raise Refusal.invalid("Regnearket er tomt")
    return Table(header, rows, "xlsx")


def read_table(content: bytes, filename: str) -> Table:
    lower = filename.lower()
    if lower.endswith(".xls") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise Refusal.invalid("Gamle Excel-filer (.xls) kan ikke læses; gem som .xlsx eller CSV")
    if lower.endswith((".xlsx", ".xlsm")) or content.startswith(b"PK\x03\x04"):
        return read_xlsx(content)
    if b"\x00" in content[:2000] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refusal.invalid("Filen er hverken CSV eller et Excel-regneark")
    return read_csv(content)


def map_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Which column holds which field, and the headers that mean nothing to messe."""
    by_header = {alias: name for name, aliases in HEADERS.items() for alias in aliases}
    columns: dict[str, int] = {}
    ignored = []
    for index, text in enumerate(header):
        name = by_header.get(header_key(text))
        if name is None:
            if text.strip():
                ignored.append(text.strip())
            continue
        if name in columns:
            raise Refusal.invalid("Kolonnen '{header}' står to gange i overskriften", header=text.strip())
        columns[name] = index
    if "name" not in columns and not {"first_name", "last_name"} <= columns.keys():
        found = ", ".join(h.strip() for h in header if h.strip()) or "ingen"
        raise Refusal.invalid("Filen mangler kolonnen Navn (eller Fornavn og Efternavn). Overskriften var: {found}",
                              found=found)
    return columns, ignored


def parse_role(text: str) -> str | None:
    key = text.strip().lower()
    if not key:
        return AttendeeRole.DELTAGER
    return next((role for role, words in ROLE_WORDS.items() if key in words), None)


def parse_language(text: str) -> str | None:
    key = text.strip().lower()
    if not key:
        return "da"
    return next((code for code, words in LANGUAGE_WORDS.items() if key in words), None)


def parse_consent(text: str) -> bool | None:
    key = text.strip().lower()
    if not key or key in NO:
        return False
    return True if key in YES else None


def _check_row(line: int, get: dict[str, str], header_of: dict[str, str],
               seen_emails: dict[str, int]) -> tuple[AttendeeRow | None, list[RowError]]:
    errors = []

    def bad(name: str, template: str, **values: Any) -> None:
        errors.append(RowError(line, header_of.get(name, EXPORT_HEADERS.get(name, name)), get.get(name, ""),
                               template, values))

    name = get["name"] or " ".join(p for p in (get["first_name"], get["last_name"]) if p)
    if not name:
        bad("name", "Navnet mangler")
    for key, limit in MAX_LENGTH.items():
        if len(name if key == "name" else get[key]) > limit:
            bad(key, "Må højst være {max} tegn", max=limit)
    email = get["email"]
    if email and not EMAIL_PATTERN.match(email):
        bad("email", "Ugyldig e-mailadresse")
    elif email:
        earlier = seen_emails.setdefault(email.lower(), line)
        if earlier != line:
            bad("email", "E-mailadressen står også i linje {line}", line=earlier)
    role = parse_role(get["role"])
    if role is None:
        bad("role", "Ukendt rolle; brug deltager, udstiller, taler, presse eller arrangør")
    consent = parse_consent(get["consent_share_contact"])
    if consent is None:
        bad("consent_share_contact", "Skriv ja eller nej")
    language = parse_language(get["language"])
    if language is None:
        bad("language", "Ukendt sprog; skriv dansk eller engelsk")
    if errors or role is None or consent is None or language is None:
        return None, errors
    return AttendeeRow(line, name, email, get["phone"], get["organisation"], get["job_title"], role, consent,
                       language), []


def parse_attendees(content: bytes, filename: str) -> ParsedAttendees:
    """Every row of the file checked: the good rows and every bad row's line number and reason.

    Refused (:class:`~messe.common.refusal.Refusal`) when the file as a whole cannot be used.
    """
    table = read_table(content, filename)
    columns, ignored = map_columns(table.header)
    header_of = {name: table.header[index].strip() for name, index in columns.items()}
    width = len(table.header)
    rows: list[AttendeeRow] = []
    errors: list[RowError] = []
    seen_emails: dict[str, int] = {}
    for line, cells in table.rows:
        cells = [_unneutralise(c.strip()) for c in cells]
        if not any(cells):
            continue
        if any(cells[width:]):
            errors.append(RowError(line, "", "", "Linjen har flere felter end overskriften ({count}); står der "
                                   "et semikolon i et felt uden anførselstegn?", {"count": width}))
            continue
        get = {name: (cells[columns[name]] if name in columns and columns[name] < len(cells) else "")
               for name in HEADERS}
        row, row_errors = _check_row(line, get, header_of, seen_emails)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        raise Refusal.invalid("Filen har ingen deltagere under overskriften")
    return ParsedAttendees(rows, errors, table, header_of, ignored)
