"""Which texts lack an English translation in messe/locale/en/*.po."""

from __future__ import annotations

import re
from collections.abc import Iterable

from messe.i18n import translations

PLACEHOLDER = re.compile(r"{\w+}")


def untranslated(texts: Iterable[str]) -> list[str]:
    """The texts with no English translation, or whose translation drops or adds a {placeholder}."""
    english = translations("en")._messages
    return sorted(text for text in texts if text not in english
                  or sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(english[text])))
