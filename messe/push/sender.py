"""Sending pushes off the request path: a bounded queue, a fixed number of sender tasks, retries.

A publish only puts its changes on a queue and returns; a planner task finds who is concerned and
queues one delivery per browser; ``workers`` tasks encrypt (one at a time) (RFC 8291 ``aes128gcm``), sign (VAPID,
RFC 8292) and post them, each post bounded by ``timeout``. A push service that is slow, down or
refusing therefore costs only sender tasks, never a request or the websocket fan-out. 5xx, 429 and
timeouts are tried again later (``Retry-After`` or exponential backoff, at most ``attempts`` in
all); 404 and 410 mean the browser unsubscribed, so the subscription is forgotten. When the queue
is full the oldest delivery is dropped (with a log line): memory stays bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
from py_vapid import Vapid02
from pywebpush import WebPusher

from messe.common.models import Event
from messe.programme.models import ScheduleChange
from messe.push.domain.notices import Delivery, deliveries
from messe.push.domain.subscriptions import endpoint_problem

log = logging.getLogger("messe.push")

TOKEN_LIFETIME = 12 * 3600  # a VAPID token is valid for at most 24 hours (RFC 8292 section 2)
TOKEN_RENEW = 3600  # a cached token is renewed when it has less than this left
TIME_TO_LIVE = 4 * 3600  # a phone that is off for longer has no use for the news
MAX_RETRY_AFTER = 300.0


@dataclass(frozen=True)
class SenderLimits:
    workers: int = 16  # posts in flight at once: a push service answers in 50-200 ms over the internet
    queue_size: int = 10_000
    changes_size: int = 1_000
    timeout: float = 10.0
    attempts: int = 4
    backoff: float = 1.0


@dataclass
class SenderStats:
    accepted: int = 0
    retried: int = 0
    gone: int = 0
    failed: int = 0
    dropped: int = 0


@dataclass(frozen=True, slots=True)
class _Job:
    delivery: Delivery
    attempt: int = 1


class PushSender:
    def __init__(self, signer: Vapid02, contact: str, allowed: tuple[str, ...],
                 forget: Callable[[int], Awaitable[None]], limits: SenderLimits | None = None) -> None:
        self.signer = signer
        self.allowed = allowed
        self.contact = contact
        self.forget = forget
        self.limits = limits or SenderLimits()
        self.stats = SenderStats()
        self._jobs: asyncio.Queue[_Job] = asyncio.Queue(self.limits.queue_size)
        self._changes: asyncio.Queue[ScheduleChange] = asyncio.Queue(self.limits.changes_size)
        self._tokens: dict[str, tuple[str, float]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._retries: set[asyncio.TimerHandle] = set()
        self._session: aiohttp.ClientSession | None = None
        # Encrypting a push takes about a millisecond of CPU; one at a time and at most one per
        # round of the event loop, so a burst of pushes never holds up a websocket fan-out.
        self._cpu = asyncio.Lock()

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.limits.timeout),
            connector=aiohttp.TCPConnector(limit=self.limits.workers))
        self._tasks = [asyncio.create_task(self._plan(), name="push-planner")]
        self._tasks += [asyncio.create_task(self._work(), name=f"push-sender-{n}") for n in range(self.limits.workers)]

    async def stop(self) -> None:
        for handle in self._retries:
            handle.cancel()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()

    def changes_published(self, changes: list[ScheduleChange]) -> None:
        """The observer of committed changes (messe.live.runtime): queue and return at once."""
        for change in changes:
            try:
                self._changes.put_nowait(change)
            except asyncio.QueueFull:
                log.warning("push: %d changes waiting; change %s of event %s sends no push",
                            self._changes.qsize(), change.seq, change.event_id)

    @property
    def waiting(self) -> int:
        """Deliveries queued or waiting to be tried again (and changes not yet planned)."""
        return self._jobs.qsize() + len(self._retries) + self._changes.qsize()

    def _offer(self, job: _Job) -> None:
        if self._jobs.full():
            self._jobs.get_nowait()
            self.stats.dropped += 1
            log.warning("push: queue full (%d); the oldest push was dropped", self._jobs.maxsize)
        self._jobs.put_nowait(job)

    async def _plan(self) -> None:
        while True:
            change = await self._changes.get()
            try:
                event = await Event.get(id=change.event_id)
                for delivery in await deliveries(change, event):
                    # kept under an older MESSE_PUSH_HOSTS, perhaps: never post off today's list
                    if endpoint_problem(delivery.endpoint, self.allowed) is None:
                        self._offer(_Job(delivery))
            except Exception:
                log.exception("push: could not plan the pushes for change %s of event %s",
                              change.seq, change.event_id)

    async def _work(self) -> None:
        while True:
            job = await self._jobs.get()
            try:
                await self._send(job)
            except Exception:
                self.stats.failed += 1
                log.exception("push: sending to %s failed", _host(job.delivery.endpoint))

    def _authorization(self, endpoint: str) -> str:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        token, expires = self._tokens.get(audience, ("", 0.0))
        now = time.time()
        if expires - now < TOKEN_RENEW:
            expires = now + TOKEN_LIFETIME
            token = self.signer.sign({"aud": audience, "sub": self.contact, "exp": int(expires)})["Authorization"]
            self._tokens[audience] = (token, expires)
        return token

    async def _encrypted(self, delivery: Delivery) -> bytes:
        subscription = {"endpoint": delivery.endpoint, "keys": {"p256dh": delivery.p256dh, "auth": delivery.auth}}
        async with self._cpu:
            body = WebPusher(subscription).encode(delivery.payload, "aes128gcm")["body"]
            await asyncio.sleep(0)
        return body

    async def _send(self, job: _Job) -> None:
        delivery = job.delivery
        body = await self._encrypted(delivery)
        headers = {"Authorization": self._authorization(delivery.endpoint), "Content-Encoding": "aes128gcm",
                   "Content-Type": "application/octet-stream", "TTL": str(TIME_TO_LIVE), "Urgency": "high",
                   "Topic": delivery.topic}
        assert self._session is not None
        try:
            async with self._session.post(delivery.endpoint, data=body, headers=headers,
                                          allow_redirects=False) as response:
                status, retry_after = response.status, response.headers.get("Retry-After")
        except (TimeoutError, aiohttp.ClientError) as exc:
            self._again(job, None, f"{type(exc).__name__}")
            return
        if status < 300:
            self.stats.accepted += 1
        elif status in (404, 410):
            self.stats.gone += 1
            await self.forget(delivery.subscription_id)
        elif status == 429 or status >= 500:
            self._again(job, retry_after, f"HTTP {status}")
        else:
            self.stats.failed += 1
            log.warning("push: %s refused a push with HTTP %d", _host(delivery.endpoint), status)

    def _again(self, job: _Job, retry_after: str | None, reason: str) -> None:
        if job.attempt >= self.limits.attempts:
            self.stats.failed += 1
            log.warning("push: %s: %s after %d attempts; giving up", _host(job.delivery.endpoint), reason, job.attempt)
            return
        delay = self.limits.backoff * 2 ** (job.attempt - 1)
        if retry_after and retry_after.isdigit():
            delay = min(max(delay, float(retry_after)), MAX_RETRY_AFTER)
        self.stats.retried += 1
        retry = _Job(job.delivery, job.attempt + 1)

        def offer() -> None:
            self._retries.discard(handle)
            self._offer(retry)

        handle = asyncio.get_running_loop().call_later(delay, offer)
        self._retries.add(handle)


def _host(endpoint: str) -> str:
    return urlsplit(endpoint).hostname or "?"
