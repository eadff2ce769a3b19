"""A real push service on 127.0.0.1 for the Web Push tests, browsers' key pairs, and the app
configured to send to it (``MESSE_PUSH_HOSTS=http://127.0.0.1``, short timeouts and backoff)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from tortoise.backends.base.executor import EXECUTOR_CACHE

from messe.app import create_app
from messe.push.domain.keys import b64url
from messe.push.runtime import make_sender
from messe.push.sender import SenderLimits
from tests.conftest import bearer, make_token, settings_for

LIMITS = SenderLimits(workers=4, timeout=1.0, attempts=3, backoff=0.1)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class PushService:
    """Answers by the endpoint's first path segment: ``ok`` 201, ``gone`` 410, ``busy`` 503 once
    then 201, ``hang`` never."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    busy_seen: set[str] = field(default_factory=set)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(Received(request.path, dict(request.headers), await request.read(), time.monotonic()))
        mode = request.path.split("/")[1]
        if mode == "hang":
            await self.released.wait()
        if mode == "gone":
            return web.Response(status=410)
        if mode == "busy" and request.path not in self.busy_seen:
            self.busy_seen.add(request.path)
            return web.Response(status=503)
        return web.Response(status=201)

    def to(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    async def wait_for(self, path: str, count: int = 1, timeout: float = 10) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.to(path)) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path}: {len(self.to(path))} of {count} pushes arrived")
            await asyncio.sleep(0.02)
        return self.to(path)


@pytest.fixture(scope="session")
async def push_service() -> AsyncIterator[PushService]:
    service = PushService()
    runner = web.AppRunner(_application(service))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    service.url = f"http://127.0.0.1:{port}"
    yield service
    service.released.set()
    await runner.cleanup()


def _application(service: PushService) -> web.Application:
    application = web.Application()
    application.router.add_post("/{tail:.*}", service.handle)
    return application


@pytest.fixture(scope="session")
async def app(database_url: str, push_service: PushService):
    """The application, allowed to push to the local push service over plain HTTP."""
    EXECUTOR_CACHE.clear()
    settings = settings_for(database_url, push_hosts=("http://127.0.0.1", "fcm.googleapis.com", "*.push.apple.com"))
    application = create_app(settings)
    application.state.push = make_sender(settings, LIMITS)
    async with application.router.lifespan_context(application):
        yield application


@dataclass
class Browser:
    """A browser's side of a subscription: the key pair and auth secret it would make."""

    key: ec.EllipticCurvePrivateKey
    auth: bytes
    endpoint: str

    @classmethod
    def make(cls, endpoint: str) -> Browser:
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16), endpoint)

    def subscription(self) -> dict:
        point = self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                   serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "expirationTime": None,
                "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)}}


@pytest.fixture
async def api(app, fair) -> AsyncIterator[httpx.AsyncClient]:
    """The programme API as an organiser."""
    token = await make_token(fair, "organiser")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver/messe13",
                                 headers=bearer(token)) as client:
        yield client
