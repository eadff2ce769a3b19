"""The garbage collector of a serving process: young collections after 20,000 new objects, not 700.

Python collects its youngest generation whenever 700 more container objects have been made than
freed. A request makes hundreds that live until it is answered (scope, headers, coroutines, ORM
rows), so under load each young collection walks mostly objects of requests still in flight,
finds them alive, and hands them on to the older generations to be walked again. Measured
under ``bench/soak.py --rate-factor 3`` (SQLite, one process, 2026-12-08), per 5 s of load: 100
young collections taking 250 ms in all, 9 middle ones 100 ms, one full 30 ms, about 8 % of the
event loop. With 20,000: one young collection per 15 s or so (50-70 ms), and the same run
refused 3,480 scans instead of 5,782 (scan p99 331 ms instead of 511; the machine was past its
capacity at that load that day). A request's own objects are freed by reference counting when it
ends; what the collector is for, reference cycles, waits a few seconds longer.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

YOUNG_COLLECTION_AFTER = 20_000  # new container objects (Python's default: 700)


@contextlib.contextmanager
def fewer_young_collections(after: int = YOUNG_COLLECTION_AFTER) -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(after, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
