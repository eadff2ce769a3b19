"""Badge PDFs read back with real tools: pdftotext for every name, zxing-cpp for every QR code."""

from __future__ import annotations

import math
import subprocess
import threading
import time
import zlib

import pytest

from messe.badges.domain import base45
from messe.badges.domain.badge import ROLES, BadgeData
from messe.badges.domain.batch import PARALLEL_FROM, _draw, render_batch
from messe.badges.domain.layouts import load_layout
from messe.badges.domain.render import render_pdf
from messe.badges.domain.tokens import (
    BAD_SIGNATURE,
    OTHER_EVENT,
    PREFIX,
    SUPERSEDED,
    derive_private_key,
    public_key_bytes,
    verify_badge,
)
from messe.common.refusal import Refusal
from tests.badges.pdfcheck import decode_pages, need_poppler, page_texts, squash, tricky_names

SECRET = "pdf-test-secret"
SLUG = "messe13"
EVENT_NAME = "Digitaliseringsmessen 2026"
KEY = derive_private_key(SECRET, SLUG)
PUBLIC = public_key_bytes(KEY)
LABELS = {"deltager": "Deltager", "udstiller": "Udstiller", "taler": "Taler", "presse": "Presse",
          "arrangør": "Arrangør"}


def badges() -> list[BadgeData]:
    return [BadgeData(attendee_id=100 + i, version=1 + i % 3, name=p["name"], organisation=p["organisation"],
                      job_title="Digitaliseringskonsulent" if i % 2 else "", role=ROLES[i % len(ROLES)],
                      event_name=EVENT_NAME, event_slug=SLUG)
            for i, p in enumerate(tricky_names())]


def write(tmp_path, layout: str, items: list[BadgeData]):
    path = tmp_path / f"{layout}.pdf"
    path.write_bytes(render_pdf(items, load_layout(layout), KEY))
    return path


def check_codes(pdf, items: list[BadgeData], per_page: int, dpi: int = 150) -> None:
    """Every badge's QR is on its page, decodes, verifies, and says who it is."""
    decoded = decode_pages(pdf, dpi)
    assert len(decoded) == len(items)
    by_id = {b.attendee_id: b for b in items}
    seen = set()
    for code in decoded:
        assert code.version <= 10 and code.ec_level == "M"
        claims = verify_badge(code.text, PUBLIC, SLUG)
        badge = by_id[claims.attendee_id]
        assert claims.version == badge.version
        assert (claims.name, claims.organisation) == (badge.name, badge.organisation)
        assert items.index(badge) // per_page + 1 == code.page
        seen.add(claims.attendee_id)
    assert seen == set(by_id)


def check_text(pdf, items: list[BadgeData], per_page: int, labels: dict[str, str] = LABELS) -> None:
    pages = page_texts(pdf)
    assert len(pages) == math.ceil(len(items) / per_page)
    for i, badge in enumerate(items):
        text = squash(pages[i // per_page])
        for printed in (badge.name, badge.organisation, badge.job_title, labels[badge.role], EVENT_NAME):
            assert squash(printed) in text, f"{printed!r} missing on page {i // per_page + 1}"


def test_a6_prints_every_script_and_every_qr_verifies(tmp_path):
    items = badges()
    pdf = write(tmp_path, "a6", items)
    check_text(pdf, items, 1)
    check_codes(pdf, items, 1)


def test_a4_sheet_has_four_badges_per_page(tmp_path):
    items = badges()[:10]
    pdf = write(tmp_path, "a4-4up", items)
    check_text(pdf, items, 4)
    check_codes(pdf, items, 4)


@pytest.mark.parametrize("layout, dpi", [("cr80", 300), ("label-4x3", 203)])
def test_card_and_thermal_label(tmp_path, layout, dpi):
    items = badges()[:6]
    pdf = write(tmp_path, layout, items)
    labels = {r: load_layout(layout).role.labels[r] for r in ROLES}
    check_text(pdf, items, 1, labels)
    check_codes(pdf, items, 1, dpi)


def test_qr_codes_are_vectors_and_all_fonts_are_embedded(tmp_path):
    need_poppler()
    pdf = write(tmp_path, "a6", badges())
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    assert len(images.stdout.strip().splitlines()) == 2, "only the header: no raster images"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts
    assert not any(base in fonts for base in ("Helvetica", "Times", "Courier"))


def test_scanned_codes_are_refused_when_tampered_foreign_or_superseded(tmp_path):
    item = badges()[0]
    code = decode_pages(write(tmp_path, "a6", [item]))[0].text
    assert verify_badge(code, PUBLIC, SLUG, current_version=item.version).attendee_id == item.attendee_id
    reasons = {}
    raw = base45.decode(code[len(PREFIX):])
    someone_else = raw.replace(item.name.encode()[:4], b"Bo E", 1)  # same length, another name
    assert someone_else != raw
    tampered = PREFIX + base45.encode(someone_else)
    other = derive_private_key(SECRET, "messe14")
    for label, payload, key, slug, current in [
        ("tampered", tampered, PUBLIC, SLUG, None),
        ("other event", code, public_key_bytes(other), "messe14", None),
        ("superseded", code, PUBLIC, SLUG, item.version + 1),
    ]:
        with pytest.raises(Refusal) as caught:
            verify_badge(payload, key, slug, current_version=current)
        reasons[label] = caught.value.reason
    assert reasons == {"tampered": BAD_SIGNATURE, "other event": OTHER_EVENT, "superseded": SUPERSEDED}


def test_the_parallel_batch_gives_every_badge_in_order(tmp_path):
    items = [BadgeData(i, 1, f"Deltager Nummer {i}", "Odense Kommune", "", ROLES[i % 5], EVENT_NAME, SLUG)
             for i in range(1, PARALLEL_FROM + 21)]
    path = tmp_path / "batch.pdf"
    progress: list[int] = []
    with path.open("wb") as out:
        pages = render_batch(items, load_layout("a4-4up"), KEY, out, progress=progress.append, workers=2)
    assert pages == math.ceil(len(items) / 4)
    assert progress == list(range(1, len(items) + 1))
    check_text(path, items, 4)
    check_codes(path, items, 4, dpi=100)


def test_a_parallel_batch_of_names_in_every_script_reads_back_like_a_single_process_one(tmp_path):
    """Several processes draw pages with one shared font plan: every name still reads back, every
    code decodes, and the pages look exactly like those drawn by one process."""
    need_poppler()
    tricky = badges()
    items = [BadgeData(i, 1, tricky[i % len(tricky)].name, tricky[i % len(tricky)].organisation,
                       "Digitaliseringskonsulent", ROLES[i % 5], EVENT_NAME, SLUG)
             for i in range(1, PARALLEL_FROM + 2 * len(tricky) + 1)]
    paths = {}

    def render(name: str, workers: int) -> None:
        paths[name] = tmp_path / f"batch-{name}.pdf"
        with paths[name].open("wb") as out:
            assert render_batch(items, load_layout("a6"), KEY, out, workers=workers) == len(items)

    render("one", 1)
    render("forked", 2)  # helpers forked from this process, or from the fork server if it has threads
    in_thread = threading.Thread(target=render, args=("fork-server", 2))  # as the CLI and admin jobs do
    in_thread.start()
    in_thread.join()
    check_text(paths["fork-server"], items, 1)
    check_codes(paths["fork-server"], items, 1, dpi=100)
    images = {}
    for name, path in paths.items():
        subprocess.run(["pdftoppm", "-r", "40", "-gray", "-png", str(path), str(tmp_path / f"look-{name}")],
                       check=True)
        images[name] = sorted(tmp_path.glob(f"look-{name}-*.png"))
    assert len(images["one"]) == len(items)
    for name in ("forked", "fork-server"):
        differing = [a.name for a, b in zip(images["one"], images[name], strict=True)
                     if a.read_bytes() != b.read_bytes()]
        assert len(images[name]) == len(items) and differing == [], name


def test_a_helper_refuses_pages_that_need_a_character_outside_the_font_plan():
    """The safety net behind the shared plan: a helper never invents a code of its own."""
    from io import BytesIO

    from messe.badges.domain.render import BadgePdf, FontsDiverged, font_plan

    layout = load_layout("a6")
    danish = BadgeData(1, 1, "Søren Æbelø", "Aabenraa Kommune", "", "deltager", EVENT_NAME, SLUG)
    greek = BadgeData(2, 1, "Αλέξανδρος", "Aabenraa Kommune", "", "deltager", EVENT_NAME, SLUG)
    hebrew = BadgeData(3, 1, "שרה לוי", "Aabenraa Kommune", "", "deltager", EVENT_NAME, SLUG)
    writer = BadgePdf(layout, BytesIO())
    writer.prime_fonts(font_plan(layout, [danish]))
    forms = writer.define_forms([danish])
    helper = BadgePdf(layout, BytesIO())
    helper.prime_fonts(font_plan(layout, [danish]))
    helper.freeze_fonts(forms)
    assert len(_draw(helper, [danish], KEY)) == 1
    for outside in (greek, hebrew):  # a new letter of a primed font; of a font the plan left out
        with pytest.raises(FontsDiverged):
            _draw(helper, [outside], KEY)
    assert zlib.decompress(_draw(helper, [danish], KEY)[0]) == zlib.decompress(_draw(helper, [danish], KEY)[0])


def test_one_badge_renders_in_well_under_100_ms():
    layout, item = load_layout("a6"), badges()[0]
    render_pdf([item], layout, KEY)  # a running server has its fonts loaded already
    timings = []
    for i in range(5):
        start = time.perf_counter()
        render_pdf([BadgeData(900 + i, 1, item.name, item.organisation, "", "taler", EVENT_NAME, SLUG)],
                   layout, KEY)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.1, timings
