"""Abuse limits for sign-in, personal-link requests and scanning.

The protection is carried by what an attacker has to name: a username (sign-in) or an e-mail
address (a personal link). Limits per client address are a generous brake on floods only: at the
fair, most phones reach messe through the venue Wi-Fi's one NAT address, and 2,000 people behind it
must not lock each other out. The client address is the connection's own unless that connection
comes from a trusted reverse proxy (``MESSE_TRUSTED_PROXIES``); only then is ``X-Forwarded-For``
believed, and only up to the first address the trusted proxies did not add themselves.

Counted in Redis when one is configured (so every worker shares the count), in memory
otherwise. A limiter that cannot reach Redis lets requests through rather than failing them:
the limits are a brake on abuse, not a reason to turn away door staff.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Mapping

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string
from starlette.requests import HTTPConnection

from messe.web.errors import ApiError

log = logging.getLogger("messe")

RULES: dict[str, str] = {
    "login": "10/minute",  # per username, from wherever the attempts come
    "login-address": "600/minute",  # every staffer at the fair signing in through one NAT address
    "link-request": "5/hour",  # per e-mail address
    "link-request-address": "2000/hour",  # one for each attendee, all behind the venue Wi-Fi
    "scan": "240/minute",
    "desk-search": "120/minute",  # per door staffer: a live search box, not a way to list everyone
}
# Rules against guessing count exactly (a moving window): the sliding counter only estimates the
# last window, and lets an 11th password guess through when the attempts straddle a minute.
EXACT = frozenset({"login", "link-request"})


class SweptMemoryStorage(MemoryStorage):
    """limits' in-memory storage, sweeping out its expired counters at most every ``SWEEP_SECONDS``.

    limits starts a sweep of every counter it holds after each hit that finds the last sweep done:
    a new task and a pass over a key per scanning device (700 at three times the fair's scanning
    rate) for every scan, 3 % of the server's main thread (py-spy, bench/soak.py --rate-factor 3).
    A counter that has run out counts as nothing anyway (``get`` drops it as it reads it); the sweep
    only returns its memory, and once a second is soon enough for that."""

    SWEEP_SECONDS = 1.0
    _next_sweep = 0.0

    async def _MemoryStorage__schedule_expiry(self) -> None:  # replaces limits' private per-hit sweep
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_SECONDS
            await MemoryStorage._MemoryStorage__schedule_expiry(self)  # type: ignore[attr-defined]


class RateLimiter:
    def __init__(self, redis_url: str | None = None, rules: Mapping[str, str] = RULES) -> None:
        storage: Storage = (
            storage_from_string(f"async+{redis_url}", implementation="redispy") if redis_url
            else SweptMemoryStorage()
        )
        # A sliding window of counters, not a moving window of timestamps: the in-memory moving
        # window expires its entries with one thread hop per key after every hit, which cost a
        # busy scanning hour a sixth of the process (py-spy).
        self._limiter = SlidingWindowCounterRateLimiter(storage)
        self._exact = MovingWindowRateLimiter(storage)
        self._rules: dict[str, RateLimitItem] = {name: parse(rule) for name, rule in {**RULES, **rules}.items()}

    async def hit(self, rule: str, *keys: str) -> bool:
        try:
            limiter = self._exact if rule in EXACT else self._limiter
            return await limiter.hit(self._rules[rule], rule, *keys)
        except Exception as exc:  # Redis unreachable: let the request through
            log.warning("rate limiter unavailable: %s", exc)
            return True


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as a proxy writes it: bare, ``1.2.3.4:port`` or ``[v6]:port``; None if it is none."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1:text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(conn: HTTPConnection) -> str:
    """Who is asking, as far as the limits are concerned (see the module's description)."""
    peer = conn.client.host if conn.client else "unknown"
    settings = getattr(conn.app.state, "settings", None)
    trusted = settings.trusted_networks if settings is not None else ()
    if not trusted:
        return peer

    def is_trusted(text: str) -> bool:
        address = _ip(text)
        return address is not None and any(address in network for network in trusted)

    if not is_trusted(peer):
        return peer
    hops = [hop.strip() for value in conn.headers.getlist("x-forwarded-for") for hop in value.split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not is_trusted(hop):
            address = _ip(hop)
            return str(address) if address is not None else hop[:64]
    return peer


async def enforce(conn: HTTPConnection, rule: str, *keys: str) -> None:
    """Count one attempt under ``rule``; 429 with a clear message once the limit is passed."""
    limiter: RateLimiter = conn.app.state.limiter
    if not await limiter.hit(rule, *keys):
        raise ApiError(429, "For mange forsøg – vent lidt og prøv igen", headers={"Retry-After": "60"})
