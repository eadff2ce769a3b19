"""Real servers for the live tests: uvicorn processes on a SQLite file or a PostgreSQL database,
with Redis, and websocket phones that keep what they receive.

Each installation is created with the ``messe`` command line (migrate, seed, token) like a real
one. ``MESSE_TEST_APP`` names the ASGI app factory to serve (default ``messe.app:create_app``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import websockets

from messe.web.websocket_server import UVICORN_WS
from tests.conftest import POSTGRES_SERVER, REDIS_URL, TEST_SECRET, in_ci
from tests.support.live_server import stop_process

APP = os.environ.get("MESSE_TEST_APP", "messe.app:create_app")
SLUG = "messe13"
MESSE = str(Path(sys.executable).parent / "messe")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


async def eventually(check, timeout: float = 10.0, interval: float = 0.1):
    """Await ``check()`` until it returns something truthy, and return that."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(interval)


@dataclass
class Installation:
    database_url: str
    redis_url: str | None = None
    token: str = ""
    folder: Path = field(default_factory=Path)

    def env(self) -> dict[str, str]:
        env = {**os.environ, "MESSE_DATABASE_URL": self.database_url, "MESSE_SECRET_KEY": TEST_SECRET}
        env.pop("MESSE_REDIS_URL", None)
        if self.redis_url:
            env["MESSE_REDIS_URL"] = self.redis_url
        return env

    def messe(self, *args: str) -> str:
        done = subprocess.run([MESSE, *args], env=self.env(), capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr or done.stdout
        return done.stdout

    def python(self, code: str) -> str:
        """Run ``code`` with this installation's database open (for what has no command)."""
        program = ("import asyncio\nfrom tortoise import Tortoise\nfrom messe.db import tortoise_config\n"
                   "async def main():\n    await Tortoise.init(config=tortoise_config("
                   f"{self.database_url!r}), _enable_global_fallback=True)\n    try:\n"
                   + "".join(f"        {line}\n" for line in code.splitlines())
                   + "    finally:\n        await Tortoise.close_connections()\nasyncio.run(main())\n")
        done = subprocess.run([sys.executable, "-c", program], env=self.env(), capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def set_up(self) -> Installation:
        self.messe("migrate")
        self.messe("seed")
        self.token = self.messe("token", "create", "--role", "organiser").split()[-1]
        return self


class Server:
    """One messe process (``uvicorn --workers 1``); two of them on one database are two workers.
    With ``workers`` > 1 it is one uvicorn master with that many worker processes. Entering it again
    after leaving starts it again on the same port."""

    def __init__(self, installation: Installation, workers: int = 1) -> None:
        self.installation = installation
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    async def __aenter__(self) -> Server:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", APP, "--factory", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(self.workers), "--ws", UVICORN_WS, "--ws-per-message-deflate", "false", "--no-access-log",
             "--log-level", "warning"],
            env={**self.installation.env(), "MESSE_BASE_URL": self.base}, stdout=subprocess.DEVNULL)
        await wait_for_port(self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.process is not None
        stop_process(self.process)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/{SLUG}/ws"

    def api(self, **kwargs: object) -> httpx.AsyncClient:
        """An HTTP client for this server, as the organiser (bearer token)."""
        return httpx.AsyncClient(base_url=f"{self.base}/{SLUG}", timeout=10,
                                 headers={"Authorization": f"Bearer {self.installation.token}"}, **kwargs)

    async def status(self) -> dict:
        async with self.api() as api:
            return (await api.get("/api/live")).json()


class Phone:
    """A websocket client that keeps every frame it receives, with the time it arrived."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.url = url
        self.headers = headers or {}
        self.frames: list[dict] = []
        self.arrived: dict[int, float] = {}
        self._new = asyncio.Event()

    async def connect(self, since: int) -> Phone:
        self.ws = await websockets.connect(self.url, compression=None, additional_headers=self.headers,
                                           max_size=2**22)
        self._reader = asyncio.create_task(self._read())
        await self.ws.send(json.dumps({"type": "hello", "since": since}))
        return self

    async def _read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for text in self.ws:
                frame = json.loads(text)
                self.frames.append(frame)
                if "seq" in frame:
                    self.arrived.setdefault(frame["seq"], time.monotonic())
                self._new.set()

    def changes(self) -> list[dict]:
        return [f for f in self.frames if f["type"] in ("change", "announcement")]

    def seqs(self) -> list[int]:
        return [f["seq"] for f in self.changes()]

    async def wait_for(self, seq: int, timeout: float = 10.0) -> float:
        """Until a change with ``seq`` has arrived; returns its arrival time."""
        deadline = time.monotonic() + timeout
        while seq not in self.arrived:
            self._new.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"seq {seq} did not arrive; got {self.seqs()}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new.wait(), remaining)
        return self.arrived[seq]

    async def ping(self) -> None:
        """A round trip: once the pong is back, the server has also handled our hello."""
        count = sum(1 for f in self.frames if f["type"] == "pong")
        await self.ws.send('{"type":"ping"}')
        await eventually(lambda: _true(sum(1 for f in self.frames if f["type"] == "pong") > count), 5)

    async def close(self) -> None:
        await self.ws.close()
        await self._reader


async def _true(value: bool) -> bool:
    return value


async def last_seq(api: httpx.AsyncClient) -> int:
    return (await api.get("/api/changes", params={"limit": 1})).json()["last_seq"]


async def new_talk(api: httpx.AsyncClient, **values: object) -> dict:
    """A talk alone on a stage of its own, free to move around."""
    stage = await api.post("/api/stages", json={"code": f"t{uuid.uuid4().hex[:8]}", "name": "Testscenen"})
    stage.raise_for_status()
    talk = await api.post("/api/talks", json={"title": "Testforedrag", "starts_at": "2026-11-27T10:00:00+01:00",
                                              "ends_at": "2026-11-27T10:20:00+01:00",
                                              "stage_id": stage.json()["id"], **values})
    talk.raise_for_status()
    return talk.json()


async def move(api: httpx.AsyncClient, talk: dict, minute: int) -> None:
    response = await api.patch(f"/api/talks/{talk['id']}",
                               json={"starts_at": f"2026-11-27T11:{minute:02d}:00+01:00"})
    response.raise_for_status()


@pytest.fixture
def sqlite_installation(tmp_path: Path) -> Installation:
    return Installation(database_url=f"sqlite://{tmp_path / 'messe.sqlite3'}", folder=tmp_path).set_up()


def _postgres_or_skip() -> None:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError as exc:
        message = f"PostgreSQL at {POSTGRES_SERVER} is not reachable: {exc}"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def postgres_installation(tmp_path: Path) -> AsyncIterator[Installation]:
    _postgres_or_skip()
    name = f"messe_live_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    installation = Installation(database_url=f"{POSTGRES_SERVER}/{name}", redis_url=REDIS_URL, folder=tmp_path)
    installation.set_up()
    yield installation
    admin = POSTGRES_SERVER.replace("postgres://", "postgresql://") + "/postgres"
    subprocess.run([sys.executable, "-c", "import asyncio, asyncpg\nasync def main():\n"
                    f"    c = await asyncpg.connect({admin!r})\n"
                    f"    await c.execute('DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)')\n"
                    "    await c.close()\nasyncio.run(main())"], check=True)


class RedisServer:
    """A throwaway ``redis-server`` this test may stop and start without disturbing anyone."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)], stdout=subprocess.DEVNULL)
        await wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
async def own_redis(tmp_path: Path) -> AsyncIterator[RedisServer]:
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed (Debian: apt-get install redis-server)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    server = RedisServer(tmp_path)
    await server.start()
    yield server
    server.stop()
