"""Fonts for names in any script: per-character fallback, Arabic shaping and right-to-left order.

``badges/fonts/fonts.toml`` names each style (e.g. ``regular``, ``bold``) as a list of font files;
every character is drawn with the first font of the list that has a glyph for it. reportlab draws
glyphs one by one and does no shaping, so Arabic is first turned into its presentation forms
(arabic-reshaper), and text with right-to-left characters is put in visual order (python-bidi).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from messe.badges.domain.files import FONTS_DIR

CONFIG_NAME = "fonts.toml"

# A run of text drawn with one font: (reportlab font name, text).
Run = tuple[str, str]


class FontError(Exception):
    """The font configuration or a font file cannot be used; the message names which."""


@dataclass(frozen=True)
class FontChain:
    """One style's fonts in fallback order: reportlab names and the characters each covers."""

    names: tuple[str, ...]
    coverage: tuple[frozenset[str], ...]

    def font_for(self, char: str) -> str:
        for name, covered in zip(self.names, self.coverage, strict=True):
            if char in covered:
                return name
        return self.names[0]

    def runs(self, visual: str) -> list[Run]:
        """``visual`` split into runs of one font; spaces and marks stay with the run they are in."""
        if self.coverage[0].issuperset(visual):
            return [(self.names[0], visual)]
        runs: list[Run] = []
        for char in visual:
            font = self.font_for(char)
            joins = char.isspace() or unicodedata.combining(char)
            if runs and joins and char in self._covered(runs[-1][0]):
                font = runs[-1][0]
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + char)
            else:
                runs.append((font, char))
        return runs

    def _covered(self, name: str) -> frozenset[str]:
        return self.coverage[self.names.index(name)]

    def width(self, runs: list[Run], size: float) -> float:
        return sum(pdfmetrics.stringWidth(text, font, size) for font, text in runs)


# Scripts written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko, ...) and those of them
# whose letters join and change shape (Arabic, Syriac and their presentation forms).
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")
_JOINING = re.compile("[\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def is_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def visual_order(text: str) -> str:
    """``text`` as it is drawn left to right: Arabic shaped, right-to-left runs reversed."""
    if not is_rtl(text):
        return text
    if _JOINING.search(text):
        text = arabic_reshaper.reshape(text)
    return get_display(text)


@cache
def _register(path: Path) -> tuple[str, frozenset[str]]:
    name = f"messe-{path.stem}"
    try:
        font = TTFont(name, str(path))
    except (OSError, TTFError) as exc:
        raise FontError(f"{path}: kan ikke læse skrifttypen ({exc})") from None
    pdfmetrics.registerFont(font)
    return name, frozenset(map(chr, font.face.charToGlyph))


def _read_config(fonts_dir: Path) -> dict[str, list[str]]:
    path = fonts_dir / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FontError(f"{path}: kan ikke læses ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise FontError(f"{path}: ugyldig TOML ({exc})") from None
    styles = data.get("styles")
    if not isinstance(styles, dict) or not styles:
        raise FontError(f"{path}: felt 'styles' mangler (fx [styles.regular] files = [...])")
    config: dict[str, list[str]] = {}
    for style, table in styles.items():
        files = table.get("files") if isinstance(table, dict) else None
        if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
            raise FontError(f"{path}: felt 'styles.{style}.files' skal være en liste af skrifttypefiler")
        for file in files:
            if not (fonts_dir / file).is_file():
                raise FontError(f"{path}: felt 'styles.{style}.files': filen {file} findes ikke "
                                f"i {fonts_dir}")
        config[style] = files
    return config


@cache
def style_names(fonts_dir: Path = FONTS_DIR) -> frozenset[str]:
    return frozenset(_read_config(fonts_dir))


@cache
def font_chain(style: str, fonts_dir: Path = FONTS_DIR) -> FontChain:
    """The fonts of ``style``, loaded and registered with reportlab once per process."""
    files = _read_config(fonts_dir).get(style)
    if files is None:
        raise FontError(f"{fonts_dir / CONFIG_NAME}: skrifttypen '{style}' er ikke defineret")
    loaded = [_register((fonts_dir / file).resolve()) for file in files]
    return FontChain(tuple(n for n, _ in loaded), tuple(c for _, c in loaded))


def warm_badge_fonts() -> None:
    """Load every configured font now, so the first badge of a process renders as fast as the rest."""
    for style in style_names():
        font_chain(style)
