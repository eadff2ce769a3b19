"""The scanner scripts' messages, badge refusals and export columns read in English too (page
texts and API errors: tests/test_i18n_english.py)."""

from __future__ import annotations

from messe.checkin.interfaces import pages as door_pages
from messe.expo.domain import lead_export
from messe.expo.interfaces import leads_pages
from messe.scanning.domain import scans
from messe.scanning.interfaces import pages as scanner_pages
from tests.translations import untranslated


def _values(texts: dict) -> list[str]:
    """The texts of a table, nested ones too; the counted ones (both forms) are read by
    tests/test_i18n_plurals.py."""
    return [v for value in texts.values() for v in (_values(value) if isinstance(value, dict) else [value])
            if isinstance(v, str)]


def texts_in_tables() -> set[str]:
    texts = set(_values(scanner_pages.SCANNER_TEXT) + _values(leads_pages.LEAD_TEXT) + _values(door_pages.DOOR_TEXT))
    return texts | set(scans.MESSAGES.values()) | set(lead_export.COLUMNS) | {"Ja", "Nej", "Leads"}


def test_every_text_of_the_scanner_scripts_and_exports_is_translated():
    texts = texts_in_tables()
    assert len(texts) > 40
    assert untranslated(texts) == []
