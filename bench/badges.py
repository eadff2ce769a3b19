"""Benchmark: 2,000 badge PDFs on every core, against baselines measured in the same run.

    .venv/bin/python bench/badges.py [--count 2000] [--naive-count 200] [--workers N] [--repeats 3]

Data is generated (Faker da_DK, every 20th attendee a name in another script: Polish, Turkish,
Greek, Cyrillic, Arabic, Hebrew, Chinese, Japanese, ...), so no database is needed. Measured:

* messe A6 on every core: first from a thread, as ``messe badges`` and the admin's print jobs
  call it, so the helpers come from the fork server: started cold by the batch itself (it loads
  the fonts while this process already draws), then warm, as the admin's badge page leaves it
  (it starts the fork server when the organiser opens it); then ``--repeats`` batches from the main thread,
  which has no other thread and so forks its helpers directly (median). The QR cache is
  emptied before each batch.
* messe A6 in one process (``workers=1``), the path a small batch takes: the parallel gain.
* a bare reportlab page loop: the same page size and fonts, three strings and two rectangles per
  page, no QR code, no fitting, one process; what reportlab alone costs per page on this
  machine today (machine speed drifts between days, so only same-run ratios compare).
* the naive badge (a ``qrcode`` PNG per badge, automatic mask, ``drawImage``), on fewer badges.

Targets: A6 on every core >= 2,500 badges/s, PDF < 10 MB, one badge at the door < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import threading
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import qrcode
from faker import Faker
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from messe.badges.domain.badge import ROLES, BadgeData
from messe.badges.domain.batch import render_batch
from messe.badges.domain.files import OUT_DIR
from messe.badges.domain.fonts import font_chain, warm_badge_fonts
from messe.badges.domain.layouts import load_layout
from messe.badges.domain.qr import qr_path
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
    qr_path.cache_clear()  # every token is new in a real batch
    key = derive_private_key("bench-secret", EVENT[0])
    with path.open("wb") as out:
        render_batch(badges, load_layout(layout_name), key, out, workers=workers)


def bare(badges: list[BadgeData], layout_name: str, path: Path) -> None:
    """reportlab alone: per page three strings at fixed sizes and two rectangles, compressed."""
    layout = load_layout(layout_name)
    bold, regular = font_chain("bold").names[0], font_chain("regular").names[0]
    width, height = layout.width * mm, layout.height * mm
    c = Canvas(str(path), pagesize=(width, height), pageCompression=1, initialFontName=bold)
    for b in badges:
        c.setFillColorRGB(0.12, 0.31, 0.47)
        c.roundRect(6 * mm, 6 * mm, 93 * mm, 25 * mm, 3 * mm, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.rect(33 * mm, 39 * mm, 38 * mm, 38 * mm, stroke=0, fill=1)
        c.setFont(bold, 24)
        c.drawCentredString(width / 2, height - 30 * mm, b.name)
        c.setFont(regular, 11)
        c.drawCentredString(width / 2, height - 48 * mm, b.job_title)
        c.setFont(bold, 13)
        c.drawCentredString(width / 2, height - 57 * mm, b.organisation)
        c.showPage()
    c.save()


def _cpu() -> float:
    """CPU seconds of this process and its finished children (forked helpers; not the fork server's)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


CPU_PER_BADGE: dict[str, float] = {}  # label -> CPU seconds per badge of its last run


def timed(label: str, count: int, fn: Callable[..., None], *args: object) -> float:
    """Run ``fn``, print wall time, rate, size and CPU time (a busy machine shows as few cores used)."""
    cpu, start = _cpu(), time.perf_counter()
    fn(*args)
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    path = args[2]
    assert isinstance(path, Path)
    size = path.stat().st_size
    print(f"{label:<47} {count:>5} badges {seconds:6.2f} s {count / seconds:7.1f} badges/s "
          f"{size / 1e6:5.2f} MB  CPU {cpu * 1e6 / count:4.0f} us/badge, {cpu / seconds:.2f} cores", flush=True)
    CPU_PER_BADGE[label] = cpu / count
    return count / seconds


def single_badge_ms(badges: list[BadgeData]) -> tuple[float, float]:
    """Median and worst time for one badge PDF in a warm process (fonts loaded, QR not cached)."""
    key, layout = derive_private_key("bench-secret", EVENT[0]), load_layout("a6")
    qr_path.cache_clear()
    render_pdf([badges[0]], layout, key)  # loads the fonts, as a running server already has
    times = []
    for b in badges[1:51]:
        start = time.perf_counter()
        render_pdf([b], layout, key)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--naive-count", type=int, default=200, help="badges for the naive baseline")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    parser.add_argument("--repeats", type=int, default=3, help="A6 batches after the first")
    args = parser.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    badges = generate(args.count)
    warm_badge_fonts()  # as a running server or the CLI has them before its batch starts
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.count} generated badges, {EVENT[1]}; {os.cpu_count()} cores, load average {load}; "
          f"output in {OUT_DIR}")
    a6_path = OUT_DIR / "bench-a6.pdf"

    def in_thread(label: str) -> float:
        """As the CLI and admin jobs run it: in a thread, so helpers come from the fork server."""
        results: list[float] = []
        thread = threading.Thread(target=lambda: results.append(
            timed(label, args.count, fast, badges, "a6", a6_path, args.workers)))
        thread.start()
        thread.join()
        return results[0]

    # The fork server started by the batch itself (loading the fonts while this process already
    # draws), as ``messe badges`` starts it while it reads the attendees; then one started a
    # second before, as the admin's badge page starts it when the organiser opens it.
    cold = in_thread("messe A6, all cores, first batch (cold fork server)")
    time.sleep(1.0)
    first = in_thread("messe A6, all cores, first batch (fork server warm)")
    again = [timed("messe A6, all cores (forked helpers)", args.count, fast, badges, "a6", a6_path, args.workers)
             for _ in range(args.repeats)]
    a6 = statistics.median(again) if again else first
    size = a6_path.stat().st_size
    a4 = timed("messe A4 4-up, all cores", args.count, fast, badges, "a4-4up", OUT_DIR / "bench-a4-4up.pdf",
               args.workers)
    one = timed("messe A6, one process", args.count, fast, badges, "a6", OUT_DIR / "bench-a6-one.pdf", 1)
    floor = timed("bare reportlab page loop (no QR), one process", args.count, bare, badges, "a6",
                  OUT_DIR / "bench-bare-a6.pdf")
    subset = badges[: args.naive_count]
    base = timed("naive A6 (qrcode PNG + drawImage)", len(subset), naive, subset, "a6",
                 OUT_DIR / "bench-naive-a6.pdf")
    median, worst = single_badge_ms(badges)
    verdict = "met" if min(first, a6) >= 2500 else "MISSED"
    print(f"A6 all cores: first batch {first:.0f} badges/s with the fork server warm as the badge page "
          f"leaves it ({cold:.0f} badges/s cold), then median {a6:.0f} badges/s "
          f"({args.count / a6:.2f} s for {args.count}); target >= 2500: {verdict}")
    print(f"ratio A6 all cores / one process: {a6 / one:.2f}x   / bare reportlab loop: {a6 / floor:.2f}x   "
          f"/ naive: {a6 / base:.1f}x   (A4 4-up / naive: {a4 / base:.1f}x)")
    cores = os.cpu_count() or 1
    per_badge = CPU_PER_BADGE["messe A6, all cores (forked helpers)"]
    print(f"CPU per A6 badge on all cores (this process and its helpers): {per_badge * 1e6:.0f} us; "
          f"{cores} cores to ourselves would bound the rate at {cores / per_badge:.0f} badges/s "
          f"(an upper bound, not a measurement: compare the cores column with {cores})")
    print(f"A6 PDF: {size / 1e6:.2f} MB (target < 10 MB)")
    print(f"one badge PDF (warm process): median {median:.1f} ms, worst {worst:.1f} ms (target < 100 ms)")


if __name__ == "__main__":
    main()
