"""Keeping full garbage collections out of fan-outs.

Thousands of idle connections are hundreds of thousands of long-lived objects; a full collection
walks them all (≈ 0.25 s for 2,000 connections here) and, when it lands inside a fan-out, every
phone waits for it. ``gc.freeze()`` after start-up (app lifespan) covers the application, not the
connections that arrive later, so once a wave of connections has settled and nothing is being
sent, this collects and freezes once more. Each round first unfreezes, so whatever died since
the last round (closed connections) is collected then and never leaks.
"""

from __future__ import annotations

import gc
import time


class HeapKeeper:
    def __init__(self, quiet_seconds: float = 2.0, min_new: int = 50, share: float = 0.05) -> None:
        self.quiet_seconds = quiet_seconds
        self.min_new = min_new
        self.share = share
        self.joined = 0
        self.last_activity = time.monotonic()

    def note_join(self) -> None:
        self.joined += 1
        self.last_activity = time.monotonic()

    def note_delivery(self) -> None:
        self.last_activity = time.monotonic()

    def due(self, connections: int) -> bool:
        """Enough connections arrived since the last round, and nothing happened for a moment."""
        enough = self.joined >= max(self.min_new, int(self.share * connections))
        return enough and time.monotonic() - self.last_activity >= self.quiet_seconds

    def settle(self) -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.joined = 0
