"""Rendering many badges at once: whole pages drawn on every core, one PDF written in order.

A page's cost is its QR code, its text and compressing its content stream, and none of that
needs the other pages, so helper processes draw chunks of whole pages into compressed content
streams while this process draws chunks too (from the far end of the batch, so the two meet in
the middle and a slow helper start costs little). This process then adds the streams as pages,
in order, and writes the fonts and the shared artwork once.

Every process primes its fonts with the same plan (``font_plan``), so a character has the same
code in the same font subset everywhere; a helper that would need anything outside the plan
refuses its chunk (``FontsDiverged``) and this process redraws it.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from reportlab.pdfbase.pdfdoc import PDFError

from messe.badges.domain import base45
from messe.badges.domain.badge import BadgeData
from messe.badges.domain.fonts import warm_badge_fonts
from messe.badges.domain.layouts import Layout
from messe.badges.domain.render import BadgePdf, FontPlan, FontsDiverged, badge_qr, font_plan

CHUNK = 50  # badges per task; rounded up to whole pages
PARALLEL_FROM = 2 * CHUNK  # fewer badges than this are not worth starting processes for

# One BadgePdf per helper process, primed and frozen by ``_init_helper``.
_helper: tuple[BadgePdf, Ed25519PrivateKey] | None = None


def _init_helper(raw_key: bytes, layout: Layout, plan: FontPlan, forms: dict[tuple[str, str], str]) -> None:
    global _helper
    from io import BytesIO

    pdf = BadgePdf(layout, BytesIO())
    pdf.prime_fonts(plan)
    pdf.freeze_fonts(forms)
    _helper = (pdf, Ed25519PrivateKey.from_private_bytes(raw_key))


def _draw(pdf: BadgePdf, badges: Sequence[BadgeData], key: Ed25519PrivateKey) -> list[bytes]:
    """The compressed content streams of ``badges``' pages (``badges`` fill whole pages or end the batch)."""
    assert pdf.captured is not None
    pdf.captured.clear()
    pdf.used = 0
    try:
        for badge in badges:
            pdf.add(badge, badge_qr(badge, key))
    except PDFError as exc:  # a frozen font met a character outside the plan
        pdf.canvas._startPage()  # drop the half-drawn page
        raise FontsDiverged(str(exc)) from None
    if pdf.used:
        pdf._end_page()
    pdf.check_fonts()
    return list(pdf.captured)


def _draw_in_helper(badges: list[BadgeData]) -> list[bytes]:
    assert _helper is not None
    return _draw(_helper[0], badges, _helper[1])


def _context() -> multiprocessing.context.BaseContext:
    """How helpers start: forked directly when this process has no other thread, else from a fork server.

    A plain fork is the cheapest start (the helper has the fonts already) and is safe while
    only one thread exists. With other threads (the CLI and admin jobs draw in a worker thread,
    the database driver has its own) a fork could copy a lock some thread holds, so helpers come
    from the fork server instead, which imports the badge code and loads the fonts once.
    """
    if os.name != "posix":
        return multiprocessing.get_context("spawn")
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return _fork_server()


def _fork_server() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["messe.badges.domain.warm"])
    return context


def start_fork_server() -> None:
    """Start the badge fork server now (it takes a few hundred ms), e.g. while attendees are read."""
    if os.name == "posix":
        from multiprocessing import forkserver

        _fork_server()
        forkserver.ensure_running()


_preparing: list[asyncio.Task[None]] = []


def prepare_helpers() -> None:
    """Start the fork server in the background, once per process, when an organiser opens the
    badge screen: by the time they print, the helpers start warm (measured by bench/badges.py:
    a first batch from a cold fork server ran at about 60 % of the rate of a warm one)."""
    if not _preparing:
        _preparing.append(asyncio.get_running_loop().create_task(asyncio.to_thread(start_fork_server)))


def render_batch(badges: Sequence[BadgeData], layout: Layout, key: Ed25519PrivateKey, out: BinaryIO,
                 title: str = "Badges", progress: Callable[[int], None] | None = None,
                 workers: int | None = None) -> int:
    """Write a PDF of ``badges`` to ``out``; returns the number of pages.

    ``workers`` is the number of processes drawing, this one included (default: every core).
    ``progress`` is called with the number of badges drawn so far, counting up one by one.
    """
    workers = workers if workers is not None else os.cpu_count() or 1
    pdf = BadgePdf(layout, out, title)
    warm_badge_fonts()
    base45.warm()  # before helpers are forked, so they have its table too
    plan = font_plan(layout, badges)
    pdf.prime_fonts(plan)
    forms = pdf.define_forms(badges)
    pdf.captured = []
    if workers <= 1 or len(badges) < PARALLEL_FROM:
        per_page = len(layout.slots())
        for start in range(0, len(badges), per_page):
            page = badges[start : start + per_page]
            pdf.add_pages(_draw(pdf, page, key))  # captured (compressed), then added
            if progress is not None:
                for done in range(start + 1, start + len(page) + 1):
                    progress(done)
        pdf.captured = None
        pdf.canvas.save()
        return pdf.pages

    per_page = len(layout.slots())
    size = -(-CHUNK // per_page) * per_page
    chunks = [list(badges[i : i + size]) for i in range(0, len(badges), size)]
    streams: list[list[bytes] | None] = [None] * len(chunks)
    reported = 0

    def report(upto: int) -> None:
        nonlocal reported
        if progress is not None:
            for done in range(reported + 1, upto + 1):
                progress(done)
        reported = max(reported, upto)

    def drawn() -> int:
        count = 0
        for chunk, result in zip(chunks, streams, strict=True):
            count += len(chunk) if result is not None else 0
        return count

    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    context = _context()
    # A forked helper's garbage collector would otherwise walk (and so copy, page by page) every
    # object it inherited; frozen objects are left alone. Unfrozen here once the helpers exist.
    freeze = context.get_start_method() == "fork"
    if freeze:
        gc.freeze()
    try:
        with ProcessPoolExecutor(workers - 1, mp_context=context, initializer=_init_helper,
                                 initargs=(raw, layout, plan, forms)) as pool:
            futures: list[Future[list[bytes]]] = [pool.submit(_draw_in_helper, chunk) for chunk in chunks]
            if freeze:
                gc.unfreeze()
                freeze = False

            def collect(i: int) -> None:
                try:
                    streams[i] = futures[i].result()
                except FontsDiverged:
                    streams[i] = _draw(pdf, chunks[i], key)

            for i in reversed(range(len(chunks))):
                if not futures[i].cancel():
                    break
                streams[i] = _draw(pdf, chunks[i], key)
                for j, future in enumerate(futures):
                    if streams[j] is None and future.done() and not future.cancelled():
                        collect(j)
                report(drawn())
            for i in range(len(chunks)):
                if streams[i] is None:
                    collect(i)
                    report(drawn())
    finally:
        if freeze:
            gc.unfreeze()
    pdf.captured = None
    for result in streams:
        assert result is not None
        pdf.add_pages(result)
    report(len(badges))
    pdf.canvas.save()
    return pdf.pages
