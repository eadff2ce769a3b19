"""Every Danish text of the scanning pages, scripts, exports and API has an English translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from messe.checkin.domain import scans
from messe.checkin.interfaces import pages, scanner_pages
from messe.expo.domain import lead_export
from messe.expo.interfaces import leads_pages
from messe.i18n import LOCALE_DIR
from messe.web.templates import TEMPLATE_DIR

TEMPLATES = ["expo/leads.html", "expo/lead.html", "expo/_lead_fields.html", "checkin/door.html",
             "checkin/walk_in.html"]
PYTHON = ["messe/expo/interfaces/leads_access.py", "messe/expo/domain/leads.py",
          "messe/checkin/interfaces/scanning.py"]
ROOT = Path(__file__).resolve().parents[2]


def _values(texts: dict) -> list[str]:
    return [v for value in texts.values() for v in (_values(value) if isinstance(value, dict) else [value])]


def danish_texts() -> set[str]:
    texts = set()
    for name in TEMPLATES:
        texts |= {m[1] for m in re.findall(r"""_\((["'])(.+?)\1""", (TEMPLATE_DIR / name).read_text())}
    for name in PYTHON:
        texts |= set(re.findall(r'(?:ApiError\(\d+|LeadError\("\w+"), "([^"]+)"', (ROOT / name).read_text()))
    texts |= set(_values(scanner_pages.SCANNER_TEXT) + _values(leads_pages.LEAD_TEXT) + _values(pages.DOOR_TEXT))
    texts |= set(scans.MESSAGES.values()) | set(lead_export.COLUMNS) | {"Ja", "Nej", "Leads"}
    return texts


def test_every_text_is_translated():
    with (LOCALE_DIR / "en" / "scanning.po").open("rb") as po:
        catalogue = {m.id: m.string for m in read_po(po) if m.id}
    texts = danish_texts()
    assert len(texts) > 80
    assert sorted(t for t in texts if not catalogue.get(t)) == []
    placeholders = re.compile(r"{\w+}")
    assert [t for t in texts if sorted(placeholders.findall(t)) != sorted(placeholders.findall(catalogue[t]))] == []
