"""A real messe server in a subprocess, for browser tests and benchmarks.

``start_live_server(folder)`` migrates and seeds a database (a SQLite file in ``folder`` unless a
URL is given), creates one password account per role and any API tokens asked for, starts
uvicorn on a free port and waits until it answers. The database is prepared in a subprocess too
(``python -m tests.support.live_server URL ...``), so the test process's own Tortoise state is
never touched.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from messe.badges.domain.tokens import derive_private_key, sign_badge
from messe.web.websocket_server import UVICORN_WS

ROOT = Path(__file__).resolve().parents[2]
SECRET = "live-server-secret-not-for-production"
PASSWORD = "korrekt-hest-batteri"
EVENT = "messe13"
# username -> (role, index of the exhibitor by stand order or None)
ACCOUNTS = {"arrangoer": ("organiser", None), "doer": ("door", None),
            "udstiller-a": ("exhibitor", 0), "udstiller-b": ("exhibitor", 1)}


@dataclass
class LiveServer:
    base_url: str
    database_url: str
    process: subprocess.Popen
    log: Path
    attendees: list[dict[str, Any]]
    exhibitor_tokens: list[str] = field(default_factory=list)
    door_tokens: list[str] = field(default_factory=list)
    event: str = EVENT
    secret_key: str = SECRET
    password: str = PASSWORD
    profiled: bool = False  # started by a profiler (py-spy record … --), which must write its profile

    def url(self, path: str) -> str:
        return f"{self.base_url}/{self.event}/{path.lstrip('/')}"

    def badge(self, attendee: dict[str, Any], version: int | None = None) -> str:
        """The QR text of one of ``attendees``' badges."""
        return sign_badge(derive_private_key(self.secret_key, self.event), attendee["id"],
                          version or attendee["badge_version"], self.event, attendee["name"],
                          attendee["organisation"])

    def stop(self) -> None:
        if self.profiled:  # py-spy stops the server on Ctrl-C and writes the profile
            self.process.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=60)
        stop_process(self.process)

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def stop_process(process: subprocess.Popen) -> None:
    """Ask a server process to end, and kill it if it has not within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(database_url: str, base_url: str) -> dict[str, str]:
    return {**os.environ, "MESSE_DATABASE_URL": database_url, "MESSE_SECRET_KEY": SECRET,
            "MESSE_BASE_URL": base_url}


def prepare_database(database_url: str, attendees: int | None, exhibitor_tokens: int, door_tokens: int) -> dict:
    """Migrate and seed in a subprocess; returns the attendees and tokens it created."""
    command = [sys.executable, "-m", "tests.support.live_server", database_url,
               "--exhibitor-tokens", str(exhibitor_tokens), "--door-tokens", str(door_tokens)]
    if attendees is not None:
        command += ["--attendees", str(attendees)]
    done = subprocess.run(command, cwd=ROOT, env=_environment(database_url, ""), capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"preparing {database_url} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def start_live_server(folder: Path, *, database_url: str | None = None, attendees: int | None = 40,
                      exhibitor_tokens: int = 0, door_tokens: int = 0, workers: int = 1,
                      prefix: tuple[str, ...] = ()) -> LiveServer:
    """``prefix`` runs the server under another program, e.g. ``py-spy record -o FILE --``."""
    database_url = database_url or f"sqlite://{folder / 'messe.sqlite3'}"
    prepared = prepare_database(database_url, attendees, exhibitor_tokens, door_tokens)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = folder / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*prefix, sys.executable, "-m", "uvicorn", "messe.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(workers), "--ws", UVICORN_WS, "--no-access-log",
             "--log-level", "warning"],
            cwd=ROOT, env=_environment(database_url, base_url), stdout=out, stderr=subprocess.STDOUT)
    server = LiveServer(base_url=base_url, database_url=database_url, process=process, log=log,
                        attendees=prepared["attendees"], exhibitor_tokens=prepared["exhibitor_tokens"],
                        door_tokens=prepared["door_tokens"], profiled=bool(prefix))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(server.url("api/badge-key"), timeout=2):
                return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"the server did not answer within 30 s:\n{log.read_text()}")


async def _prepare(database_url: str, attendees: int | None, exhibitor_tokens: int, door_tokens: int) -> dict:
    from tortoise import Tortoise

    from messe.db import migrate, tortoise_config
    from messe.expo.models import Exhibitor
    from messe.people.domain.accounts import create_account, create_api_token
    from messe.people.models import Attendee
    from messe.seeding import seed

    await migrate(database_url)
    await Tortoise.init(config=tortoise_config(database_url))
    try:
        event = (await seed(attendee_limit=attendees)).event
        exhibitors = await Exhibitor.filter(event=event).order_by("stand")
        for username, (role, stand) in ACCOUNTS.items():
            await create_account(event, username, PASSWORD, role, name=username.capitalize(),
                                 exhibitor=exhibitors[stand] if stand is not None else None)
        people = await Attendee.filter(event=event).select_related("organisation").order_by("id")
        return {
            "attendees": [{"id": a.id, "name": a.name, "badge_version": a.badge_version,
                           "organisation": a.organisation.name if a.organisation else ""} for a in people],
            # Token i scans for exhibitor i modulo their number: past one per stand, a stand's further phones.
            "exhibitor_tokens": [await create_api_token(event, "exhibitor", exhibitor=exhibitors[i % len(exhibitors)],
                                                        name=f"bench {exhibitors[i % len(exhibitors)].stand} {i}")
                                 for i in range(exhibitor_tokens)],
            "door_tokens": [await create_api_token(event, "door", name=f"Dør {n + 1}") for n in range(door_tokens)],
        }
    finally:
        await Tortoise.close_connections()


async def _personal_link(database_url: str) -> str:
    from tortoise import Tortoise

    from messe.db import tortoise_config
    from messe.people.domain.accounts import issue_personal_link_token
    from messe.people.models import Attendee

    await Tortoise.init(config=tortoise_config(database_url))
    try:
        return await issue_personal_link_token(await Attendee.all().order_by("id").first())
    finally:
        await Tortoise.close_connections()


def personal_link_token(server: LiveServer) -> str:
    """A personal-link token of the server's first attendee, issued in the server's database."""
    return subprocess.run([sys.executable, "-m", "tests.support.live_server", server.database_url, "--personal-link"],
                          cwd=ROOT, env=_environment(server.database_url, ""), capture_output=True, text=True,
                          check=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description="Migrate and seed a database for a live test server.")
    parser.add_argument("database_url")
    parser.add_argument("--personal-link", action="store_true", help="print a link token of the first attendee")
    parser.add_argument("--attendees", type=int)
    parser.add_argument("--exhibitor-tokens", type=int, default=0)
    parser.add_argument("--door-tokens", type=int, default=0)
    args = parser.parse_args()
    if args.personal_link:
        print(asyncio.run(_personal_link(args.database_url)))
        return
    result = asyncio.run(_prepare(args.database_url, args.attendees, args.exhibitor_tokens, args.door_tokens))
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
