"""Keeping full garbage collections out of fan-outs and reconnect storms.

Thousands of idle connections are hundreds of thousands of long-lived objects; a full collection
walks them all (≈ 0.25 s for 2,000 connections here) and, when it lands inside a fan-out, every
phone waits for it. ``gc.freeze()`` after start-up (app lifespan) covers the application, not the
connections that arrive later, so once a wave of connections has settled and nothing is being
sent, this collects and freezes once more. Each round first unfreezes, so whatever died since
the last round (closed connections) is collected then and never leaks.

While a wave arrives (2,000 phones reconnecting after the Wi-Fi drops), the interpreter's own
full collections would run again and again over the growing heap of new connections (measured
here: 4 of them, 0.34 s of the 1.34 s that 2,000 handshakes cost, each one pausing every
handshake and any fan-out); the round that follows the wave does that work once. So from the
first join of a wave until it is quiet again, full collections wait ``wave_factor`` times longer
than usual (younger generations are collected as usual).

Under steady load nothing is ever quiet, and the heap still gains long-lived objects (answers
kept in memory, rate-limit windows, new connections). Each full collection walked them all again
(measured under the soak: 42 full collections of ~150 ms CPU each, 18 % of the process's CPU in
the collector). So whatever survives a full collection is frozen just after it
(:meth:`keep_survivors`, once a second): the next full collection walks only what arrived since,
and runs only when that is a quarter of what the last one found. Garbage cycles among frozen
objects wait for the next :meth:`settle`, which also runs once the frozen heap has doubled since
the last one.

The frozen heap is counted only when it changes (just after a freeze), never when asking whether
a round is due: ``gc.get_freeze_count()`` walks every frozen object (17 ms for 1.5 million), and
asking once a second stalled the loop for that long (7.5 % of the server's samples under the soak).
"""

from __future__ import annotations

import gc
import time


class HeapKeeper:
    def __init__(self, quiet_seconds: float = 2.0, min_new: int = 50, share: float = 0.05,
                 wave_factor: int = 10) -> None:
        self.quiet_seconds = quiet_seconds
        self.min_new = min_new
        self.share = share
        self.wave_factor = wave_factor
        self.joined = 0
        self.last_activity = time.monotonic()
        self._usual: tuple[int, int, int] | None = None  # the thresholds to restore after a wave
        self._full_collected = False  # a full collection ran since the last keep_survivors
        self._frozen = gc.get_freeze_count()  # as of the last freeze (see the module's docstring)
        self._frozen_at_settle = self._frozen

    def watch_collections(self) -> None:
        gc.callbacks.append(self._after_collection)

    def unwatch_collections(self) -> None:
        if self._after_collection in gc.callbacks:
            gc.callbacks.remove(self._after_collection)

    def _after_collection(self, phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            self._full_collected = True

    def keep_survivors(self) -> None:
        """Freeze what the last full collection found alive (see the module's docstring)."""
        if self._full_collected:
            self._full_collected = False
            gc.freeze()
            self._frozen = gc.get_freeze_count()  # after a full collection, which walked them all anyway

    def note_join(self) -> None:
        self.joined += 1
        self.last_activity = time.monotonic()
        if self._usual is None and self.wave_factor > 1:
            self._usual = gc.get_threshold()
            young, middle, full = self._usual
            gc.set_threshold(young, middle, full * self.wave_factor)

    def note_delivery(self) -> None:
        self.last_activity = time.monotonic()

    @property
    def in_wave(self) -> bool:
        return self._usual is not None

    def quiet(self) -> bool:
        return time.monotonic() - self.last_activity >= self.quiet_seconds

    def due(self, connections: int) -> bool:
        """Enough connections arrived since the last round, or the frozen heap doubled, and
        nothing happened for a moment."""
        enough = self.joined >= max(self.min_new, int(self.share * connections))
        grown = self._frozen > 2 * max(self._frozen_at_settle, 1)
        return (enough or grown) and self.quiet()

    def calm(self) -> None:
        """Once a wave is over (quiet), full collections run as usual again."""
        if self.quiet():
            self.restore()

    def restore(self) -> None:
        if self._usual is not None:
            gc.set_threshold(*self._usual)
            self._usual = None

    def settle(self) -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._frozen = self._frozen_at_settle = gc.get_freeze_count()
        self._full_collected = False
        self.joined = 0
        self.calm()
