"""Benchmark: 2,000 badge PDFs, A6 and A4 4-up, against a naive baseline.

    .venv/bin/python bench/badges.py [--count 2000] [--naive-count 2000] [--workers N]

Data is generated (Faker da_DK plus names in other scripts), so no database is needed. The
naive baseline is what one writes first: a ``qrcode`` PNG per badge (automatic mask choice)
embedded with reportlab's ``drawImage``, one process. Targets: whole batch ≤ 5 s on 2 cores,
≥ 5× the baseline, PDF < 10 MB, one badge < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from io import BytesIO
from pathlib import Path

import qrcode
from faker import Faker
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader

from messe.badges.domain.badge import ROLES, BadgeData
from messe.badges.domain.batch import render_batch
from messe.badges.domain.files import OUT_DIR
from messe.badges.domain.layouts import load_layout
from messe.badges.domain.render import BadgePdf, render_pdf
from messe.badges.domain.tokens import derive_private_key, sign_badge

EVENT = ("messe13", "Digitaliseringsmessen 2026")
SEED = Path(__file__).resolve().parent.parent / "seed" / "attendees.json"
# Beyond the seed's special names: long right-to-left and CJK names and organisations.
EXTRA = [
    {"name": "محمد عبد الرحمن بن عبد العزيز الأحمد", "organisation": "Aarhus Kommune"},
    {"name": "שרה לוי", "organisation": "Region Hovedstaden"},
    {"name": "山田 太郎", "organisation": "株式会社日立製作所 デジタルソリューション事業部"},
]


def generate(count: int, seed: int = 13) -> list[BadgeData]:
    """Faker da_DK attendees, with every 20th one a tricky name from the seed data."""
    params = json.loads(SEED.read_text(encoding="utf-8"))
    tricky = params["special_names"] + EXTRA
    fake = Faker("da_DK")
    Faker.seed(seed)
    rng = random.Random(seed)
    badges = []
    for i in range(1, count + 1):
        special = tricky[(i // 20) % len(tricky)] if i % 20 == 0 else None
        name = special["name"] if special else fake.name()
        organisation = special["organisation"] if special else fake.company()
        role = rng.choices(ROLES, weights=(80, 10, 6, 2, 2))[0]
        badges.append(BadgeData(i, 1, name, organisation, rng.choice(params["job_titles"]), role, EVENT[1],
                                EVENT[0]))
    return badges


class NaivePdf(BadgePdf):
    """The same badge, but its QR is a PNG from ``qrcode`` with its automatic mask choice."""

    def _qr(self, qr: str) -> None:  # type: ignore[override]
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
        code.add_data(qr)
        code.make(fit=True)
        png = BytesIO()
        code.make_image().save(png)
        png.seek(0)
        field = self.layout.qr
        self.canvas.drawImage(ImageReader(png), field.x * mm, self._y(field.y + field.size),
                              field.size * mm, field.size * mm)


def naive(badges: list[BadgeData], layout_name: str, path: Path) -> None:
    key = derive_private_key("bench-secret", EVENT[0])
    with path.open("wb") as out:
        pdf = NaivePdf(load_layout(layout_name), out)
        for b in badges:
            pdf.add(b, sign_badge(key, b.attendee_id, b.version, b.event_slug, b.name, b.organisation))  # type: ignore[arg-type]
        pdf.finish()


def fast(badges: list[BadgeData], layout_name: str, path: Path, workers: int | None) -> None:
    key = derive_private_key("bench-secret", EVENT[0])
    with path.open("wb") as out:
        render_batch(badges, load_layout(layout_name), key, out, workers=workers)


def timed(label: str, count: int, fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    seconds = time.perf_counter() - start
    size = args[2].stat().st_size
    print(f"{label:<34} {count:>5} badges  {seconds:6.2f} s  {count / seconds:7.1f} badges/s  "
          f"{size / 1e6:6.2f} MB  ({size / count / 1024:.1f} KiB/badge)", flush=True)
    return count / seconds


def single_badge_ms(badges: list[BadgeData]) -> tuple[float, float]:
    """Median and worst time for one badge PDF in a warm process (fonts loaded, QR not cached)."""
    key, layout = derive_private_key("bench-secret", EVENT[0]), load_layout("a6")
    render_pdf([badges[0]], layout, key)  # loads the fonts, as a running server already has
    times = []
    for b in badges[1:51]:
        start = time.perf_counter()
        render_pdf([b], layout, key)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--naive-count", type=int, default=2000, help="badges for the naive baseline")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    args = parser.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    badges = generate(args.count)
    print(f"{args.count} generated badges, {EVENT[1]}; output in {OUT_DIR}")
    a6 = timed("messe A6", args.count, fast, badges, "a6", OUT_DIR / "bench-a6.pdf", args.workers)
    a4 = timed("messe A4 4-up", args.count, fast, badges, "a4-4up", OUT_DIR / "bench-a4-4up.pdf",
               args.workers)
    subset = badges[: args.naive_count]
    base = timed("naive A6 (qrcode PNG + drawImage)", len(subset), naive, subset, "a6",
                 OUT_DIR / "bench-naive-a6.pdf")
    median, worst = single_badge_ms(badges)
    print(f"ratio A6 / naive: {a6 / base:.1f}x   A4 4-up / naive: {a4 / base:.1f}x")
    print(f"whole batch: A6 {args.count / a6:.2f} s, A4 4-up {args.count / a4:.2f} s (target <= 5 s)")
    print(f"one badge PDF (warm process): median {median:.1f} ms, worst {worst:.1f} ms (target < 100 ms)")


if __name__ == "__main__":
    main()
