"""Where the organiser-editable badge files live: layouts and fonts in the top-level ``badges/``."""

from __future__ import annotations

from pathlib import Path

BADGES_DIR = Path(__file__).resolve().parents[3] / "badges"
FONTS_DIR = BADGES_DIR / "fonts"
OUT_DIR = BADGES_DIR / "out"
