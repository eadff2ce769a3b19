"""Rendering many badges at once: signing and QR encoding on every core, drawing as results arrive.

Nearly all the time of a badge goes into its QR code, and that work needs only the badge's data
and the key, so worker processes do it in chunks while this process draws the pages in order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from messe.badges.domain.badge import BadgeData
from messe.badges.domain.layouts import Layout
from messe.badges.domain.qr import QrPath
from messe.badges.domain.render import BadgePdf, badge_qr

CHUNK = 50
PARALLEL_FROM = 2 * CHUNK  # fewer badges than this are not worth starting processes for

_worker_key: Ed25519PrivateKey | None = None


def _init_worker(raw_key: bytes) -> None:
    global _worker_key
    _worker_key = Ed25519PrivateKey.from_private_bytes(raw_key)


def _prepare_chunk(badges: list[BadgeData]) -> list[QrPath]:
    assert _worker_key is not None
    return [badge_qr(badge, _worker_key) for badge in badges]


def _qr_paths(badges: Sequence[BadgeData], key: Ed25519PrivateKey, workers: int) -> Iterator[QrPath]:
    if workers <= 1 or len(badges) < PARALLEL_FROM:
        for badge in badges:
            yield badge_qr(badge, key)
        return
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    chunks = [list(badges[i : i + CHUNK]) for i in range(0, len(badges), CHUNK)]
    # forkserver: safe when the caller has threads (the database driver's), unlike fork.
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(raw,)) as pool:
        for paths in pool.map(_prepare_chunk, chunks):
            yield from paths


def render_batch(badges: Sequence[BadgeData], layout: Layout, key: Ed25519PrivateKey, out: BinaryIO,
                 title: str = "Badges", progress: Callable[[int], None] | None = None,
                 workers: int | None = None) -> int:
    """Write a PDF of ``badges`` to ``out``; returns the number of pages.

    ``progress`` is called with the number of badges drawn so far, after each badge.
    """
    pdf = BadgePdf(layout, out, title)
    workers = workers if workers is not None else os.cpu_count() or 1
    for done, (badge, qr) in enumerate(zip(badges, _qr_paths(badges, key, workers), strict=True), start=1):
        pdf.add(badge, qr)
        if progress is not None:
            progress(done)
    pdf.finish()
    return pdf.pages
