"""Languages and translations: Danish is the source language, English the second.

Messages are written in Danish in the code and templates; the .po files in
``messe/locale/en/`` translate them. The catalogue is read straight from the .po file with Babel, so there is
no compile step to forget.
"""

from __future__ import annotations

import gettext
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = {"da": "Dansk", "en": "English"}
DEFAULT_LANGUAGE = "da"
LOCALE_DIR = Path(__file__).parent / "locale"


class _CatalogTranslations(gettext.NullTranslations):
    """One language's messages; ``plurals`` holds the forms of each ``msgid_plural`` entry by its
    singular (Danish and English both use the first form for 1 and the second for every other count)."""

    def __init__(self, messages: dict[str, str], plurals: dict[tuple[str, str], tuple[str, str]]) -> None:
        super().__init__()
        self._messages = messages
        self._plurals = plurals

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        one, many = self._plurals.get((singular, plural), (singular, plural))
        return one if n == 1 else many


@cache
def translations(language: str) -> gettext.NullTranslations:
    """All ``messe/locale/<language>/*.po`` files merged (one file per domain keeps edits apart)."""
    if language == DEFAULT_LANGUAGE:
        return Translations()
    messages: dict[str, str] = {}
    plurals: dict[tuple[str, str], tuple[str, str]] = {}
    for po_file in sorted((LOCALE_DIR / language).glob("*.po")):
        with po_file.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        for message in catalog:
            if isinstance(message.id, tuple):
                if all(message.string):
                    plurals[message.id[0], message.id[1]] = (message.string[0], message.string[1])
                    messages.setdefault(message.id[0], message.string[0])  # a singular also read on its own
            elif message.id and message.string:
                messages[message.id] = message.string
    return _CatalogTranslations(messages, plurals)


class Word(str):
    """A word of the interface put into another text as a value ("ingen scene" for a talk without
    a stage): translated with that text, where a value that is data (a title) is not."""


def gettext_for(language: str):
    return translations(language).gettext


def ngettext_for(language: str):
    """``ngettext(singular, plural, count, **values)`` in ``language``, with ``{count}`` and the
    other ``{placeholders}`` filled in."""
    plural_form = translations(language).ngettext

    def ngettext(singular: str, plural: str, count: int, **values: object) -> str:
        return plural_form(singular, plural, count).format(count=count, **values)

    return ngettext


class Counted(NamedTuple):
    """A counted text that a script shows (``{count}`` and maybe other placeholders), by its Danish
    singular and plural, as ``ngettext`` takes them. The page hands the script both forms in the
    reader's language (``plural_forms``); the script picks one for its count (static/js/language.js
    ``counted``)."""

    singular: str
    plural: str


def plural_forms(language: str, singular: str, plural: str) -> dict[str, str]:
    """Both forms of a counted message in ``language``, unfilled, by the plural categories of
    ``Intl.PluralRules`` that Danish and English use: "one" (a count of 1) and "other"."""
    plural_form = translations(language).ngettext
    return {"one": plural_form(singular, plural, 1), "other": plural_form(singular, plural, 2)}


def pick_language(requested: str | None) -> str:
    """The UI language: the visitor's explicit choice, otherwise Danish."""
    return requested if requested in LANGUAGES else DEFAULT_LANGUAGE


def local_time(value: datetime, tz: str) -> datetime:
    return value.astimezone(ZoneInfo(tz))


# Babel takes ~70 us to format one time; the programme's list shows each talk's start and end, and
# after every change it is rendered again with the same few hundred times: remembered, they cost
# a lookup (10 ms of the list's ~55 ms per rendering, cProfile). Pure functions of their arguments.
@lru_cache(maxsize=4096)
def format_clock(value: datetime, tz: str, language: str) -> str:
    return format_time(local_time(value, tz), "HH:mm", locale=language)


@lru_cache(maxsize=1024)
def format_day(value: datetime, tz: str, language: str) -> str:
    return format_date(local_time(value, tz), "full", locale=language)


@lru_cache(maxsize=4096)
def format_moment(value: datetime, tz: str, language: str) -> str:
    return format_datetime(local_time(value, tz), "d. MMM y HH:mm" if language == "da" else "d MMM y HH:mm",
                           locale=language)
