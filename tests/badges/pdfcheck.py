"""Reading badge PDFs back as a person's tools would: pdftotext for the text, pdftoppm and a real
QR decoder (zxing-cpp) for the codes. Needs Debian's poppler-utils."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Names beyond the seed's own special names: longer right-to-left and CJK text, Hebrew.
EXTRA_NAMES = [
    {"name": "محمد عبد الرحمن بن عبد العزيز الأحمد", "organisation": "Aarhus Kommune"},
    {"name": "שרה לוי", "organisation": "Region Hovedstaden"},
    {"name": "山田 太郎", "organisation": "株式会社日立製作所 デジタルソリューション事業部"},
    {"name": "Αλέξανδρος Παπαδόπουλος", "organisation": "Ελληνική Εταιρεία Πληροφορικής"},
]


def tricky_names() -> list[dict[str, str]]:
    """The seed's special names (Danish, Polish, Turkish, Vietnamese, Greek, Cyrillic, Arabic,
    Chinese, Japanese, ...) and a few longer ones."""
    seed = json.loads((ROOT / "seed" / "attendees.json").read_text(encoding="utf-8"))
    return seed["special_names"] + EXTRA_NAMES


def need_poppler() -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.fail("pdftotext/pdftoppm missing: apt-get install poppler-utils")


def squash(text: str) -> str:
    """Text compared letter by letter: compatibility forms folded (Arabic presentation forms
    become letters), and spaces, hyphens (pdftotext joins hyphenated lines) and bidi marks gone."""
    text = _BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", text))
    return re.sub(r"[\s\-]+", "", text)


def page_texts(pdf: Path) -> list[str]:
    need_poppler()
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.split("\f")[:-1]


@dataclass(frozen=True)
class Decoded:
    page: int
    text: str
    version: int
    ec_level: str


def decode_pages(pdf: Path, dpi: int = 150) -> list[Decoded]:
    """Every QR code on every page, rendered by pdftoppm and read by zxing-cpp."""
    need_poppler()
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(prefix)], check=True)
    found = []
    for image in sorted(pdf.parent.glob(prefix.name + "-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        page = int(image.stem.rsplit("-", 1)[1])
        for code in zxingcpp.read_barcodes(Image.open(image), formats=zxingcpp.BarcodeFormat.QRCode):
            found.append(Decoded(page, code.text, int(code.extra["Version"]), code.extra["ECLevel"]))
    return found
