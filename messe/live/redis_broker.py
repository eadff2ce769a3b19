"""Redis pub/sub between the processes of one installation (``MESSE_REDIS_URL``).

The subscriber reconnects by itself with a capped back-off. redis-py's own retries are switched
off so that every lost connection reaches the hub (``on_state(False)``): while Redis is away the
hub polls the database, and when the subscription is back it checks what it missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from messe.live.broker import OnMessage, OnState

log = logging.getLogger("messe.live")

MAX_BACKOFF = 5.0
# Seconds a process's phone count is kept: one that stops reporting (killed) drops out of the sum.
PHONES_TTL = 15


def _client(url: str) -> Redis:
    return Redis.from_url(url, retry=Retry(NoBackoff(), 0), socket_connect_timeout=2, socket_timeout=None,
                          health_check_interval=10)


class RedisBroker:
    name = "redis"

    def __init__(self, url: str, channel: str) -> None:
        self.url = url
        self.channel = channel
        self._connected = False
        self._listener: asyncio.Task[None] | None = None
        # One retry: after Redis restarts, the first attempt finds the old connection dead.
        self._publisher = Redis.from_url(url, retry=Retry(NoBackoff(), 1), socket_connect_timeout=1,
                                         socket_timeout=1)
        self._phones_prefix = f"{channel}:phones:"
        self._phones_key = f"{self._phones_prefix}{uuid.uuid4().hex}"

    @property
    def connected(self) -> bool:
        return self._connected

    async def start(self, on_message: OnMessage, on_state: OnState) -> None:
        self._listener = asyncio.create_task(self._listen(on_message, on_state), name="messe-redis-listener")

    async def _listen(self, on_message: OnMessage, on_state: OnState) -> None:
        backoff = 0.1
        while True:
            client = _client(self.url)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                self._connected = True
                on_state(True)
                backoff = 0.1
                log.info("Live updates: subscribed to Redis channel %s", self.channel)
                async for message in pubsub.listen():
                    if message["type"] == "message":
                        on_message(message["data"])
            except (RedisError, OSError) as exc:
                log.warning("Live updates: Redis unavailable (%s); retrying in %.1f s", exc, backoff)
            finally:
                if self._connected:
                    self._connected = False
                    on_state(False)
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()
                with contextlib.suppress(RedisError, OSError):
                    await client.aclose()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)

    async def publish(self, payload: bytes) -> None:
        try:
            await self._publisher.publish(self.channel, payload)
        except (RedisError, OSError) as exc:
            log.warning("Live updates: could not publish to Redis (%s); other processes will catch up", exc)

    async def share_phones(self, counts: dict[int, int]) -> None:
        try:
            await self._publisher.set(self._phones_key, json.dumps(counts), ex=PHONES_TTL)
        except (RedisError, OSError) as exc:
            log.debug("Live updates: could not share the phone count (%s)", exc)

    async def phones_elsewhere(self) -> list[dict[int, int]]:
        own = self._phones_key.encode()
        try:
            keys = [key async for key in self._publisher.scan_iter(match=f"{self._phones_prefix}*", count=100)
                    if key != own]
            reports = await self._publisher.mget(keys) if keys else []
        except (RedisError, OSError) as exc:
            log.debug("Live updates: could not read the other processes' phone counts (%s)", exc)
            return []
        return [{int(event): count for event, count in json.loads(report).items()} for report in reports if report]

    async def stop(self) -> None:
        with contextlib.suppress(RedisError, OSError):
            await self._publisher.delete(self._phones_key)
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        with contextlib.suppress(RedisError, OSError):
            await self._publisher.aclose()
