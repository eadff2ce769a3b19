"""Abuse limits for sign-in, personal-link requests and scanning.

Counted in Redis when one is configured (so every worker shares the count), in memory
otherwise. A limiter that cannot reach Redis lets requests through rather than failing them:
the limits are a brake on abuse, not a reason to turn away door staff.
"""

from __future__ import annotations

import logging

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string
from starlette.requests import HTTPConnection

from messe.web.errors import ApiError

log = logging.getLogger("messe")

RULES: dict[str, str] = {
    "login": "10/minute",
    "login-address": "60/minute",
    "link-request": "5/hour",
    "link-request-address": "30/hour",
    "scan": "240/minute",
}


class RateLimiter:
    def __init__(self, redis_url: str | None = None) -> None:
        storage: Storage = (
            storage_from_string(f"async+{redis_url}", implementation="redispy") if redis_url else MemoryStorage()
        )
        # A sliding window of counters, not a moving window of timestamps: the in-memory moving
        # window expires its entries with one thread hop per key after every hit, which cost a
        # busy scanning hour a sixth of the process (py-spy).
        self._limiter = SlidingWindowCounterRateLimiter(storage)
        self._rules: dict[str, RateLimitItem] = {name: parse(rule) for name, rule in RULES.items()}

    async def hit(self, rule: str, *keys: str) -> bool:
        try:
            return await self._limiter.hit(self._rules[rule], rule, *keys)
        except Exception as exc:  # Redis unreachable: let the request through
            log.warning("rate limiter unavailable: %s", exc)
            return True


def client_address(conn: HTTPConnection) -> str:
    return conn.client.host if conn.client else "unknown"


async def enforce(conn: HTTPConnection, rule: str, *keys: str) -> None:
    """Count one attempt under ``rule``; 429 with a clear message once the limit is passed."""
    limiter: RateLimiter = conn.app.state.limiter
    if not await limiter.hit(rule, *keys):
        raise ApiError(429, "For mange forsøg – vent lidt og prøv igen", headers={"Retry-After": "60"})
