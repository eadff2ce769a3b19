"""Where the organiser-editable badge files live: layouts and fonts in the top-level ``badges/``."""

from __future__ import annotations

from pathlib import Path

BADGES_DIR = Path(__file__).resolve().parents[3] / "badges"
FONTS_DIR = BADGES_DIR / "fonts"
OUT_DIR = BADGES_DIR / "out"


def forget_event_prints(event_slug: str) -> None:
    """Remove the badge PDFs ``messe badges`` wrote for the event (``badges/out/<event>-<layout>.pdf``):
    they hold every attendee's name, so an erasure or a purge must not leave them behind."""
    for path in OUT_DIR.glob(f"{event_slug}-*.pdf"):
        path.unlink(missing_ok=True)
