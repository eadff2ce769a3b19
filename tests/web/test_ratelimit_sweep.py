"""The in-memory rate limiter sweeps its expired counters out at most once a second, instead of a
pass over every device's counter after each scan; limits still count exactly as before."""

from __future__ import annotations

import asyncio

from limits.aio.storage import MemoryStorage

from messe.web.ratelimit import RateLimiter, SweptMemoryStorage


async def test_a_device_is_refused_after_its_limit_and_other_devices_are_not():
    limiter = RateLimiter(rules={"scan": "3/minute"})
    assert [await limiter.hit("scan", "1", "phone-a") for _ in range(4)] == [True, True, True, False]
    assert await limiter.hit("scan", "1", "phone-b")


async def test_many_hits_start_one_sweep_a_second_not_one_each(monkeypatch):
    sweeps = []
    original = MemoryStorage._MemoryStorage__schedule_expiry

    async def counted(storage):
        sweeps.append(1)
        await original(storage)

    monkeypatch.setattr(MemoryStorage, "_MemoryStorage__schedule_expiry", counted)
    limiter = RateLimiter()
    for device in range(300):
        assert await limiter.hit("scan", "1", f"phone-{device}")
        await asyncio.sleep(0)  # the last sweep has finished by the next hit
    assert len(sweeps) == 1


async def test_expired_counters_are_still_swept_out(monkeypatch):
    storage = SweptMemoryStorage()
    monkeypatch.setattr(SweptMemoryStorage, "SWEEP_SECONDS", 0.0)
    await storage.incr("scan/phone-a", expiry=0.01)
    await asyncio.sleep(0.05)
    await storage.incr("scan/phone-b", expiry=60)  # a hit starts the sweep
    for _ in range(10):
        await asyncio.sleep(0.01)
    assert "scan/phone-a" not in storage.storage
    assert storage.storage["scan/phone-b"] == 1
