"""Languages and translations: Danish is the source language, English the second.

Messages are written in Danish in the code and templates; the .po files in
``messe/locale/en/`` translate them. The catalogue is read straight from the .po file with Babel, so there is
no compile step to forget.
"""

from __future__ import annotations

import gettext
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = {"da": "Dansk", "en": "English"}
DEFAULT_LANGUAGE = "da"
LOCALE_DIR = Path(__file__).parent / "locale"


class _CatalogTranslations(gettext.NullTranslations):
    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self._messages = messages

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """All ``messe/locale/<language>/*.po`` files merged (one file per domain keeps edits apart)."""
    if language == DEFAULT_LANGUAGE:
        return Translations()
    messages: dict[str, str] = {}
    for po_file in sorted((LOCALE_DIR / language).glob("*.po")):
        with po_file.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        messages.update({m.id: m.string for m in catalog if m.id and m.string})
    return _CatalogTranslations(messages)


def gettext_for(language: str):
    return translations(language).gettext


def pick_language(requested: str | None) -> str:
    """The UI language: the visitor's explicit choice, otherwise Danish."""
    return requested if requested in LANGUAGES else DEFAULT_LANGUAGE


def local_time(value: datetime, tz: str) -> datetime:
    return value.astimezone(ZoneInfo(tz))


def format_clock(value: datetime, tz: str, language: str) -> str:
    return format_time(local_time(value, tz), "HH:mm", locale=language)


def format_day(value: datetime, tz: str, language: str) -> str:
    return format_date(local_time(value, tz), "full", locale=language)


def format_moment(value: datetime, tz: str, language: str) -> str:
    return format_datetime(local_time(value, tz), "d. MMM y HH:mm" if language == "da" else "d MMM y HH:mm",
                           locale=language)
