"""Faults with real processes: a worker killed during a burst of changes, the server restarted,
PostgreSQL restarted under a running server. Phones keep every change exactly once and in order;
requests during a database outage get a clean 503 and work again by themselves afterwards.

Redis going away while phones are connected is covered in tests/live/test_live_servers.py
(``test_phones_converge_while_redis_is_down_and_live_delivery_resumes``).
"""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from tortoise.exceptions import DBConnectionError, IntegrityError, OperationalError

from messe.web.availability import is_database_down
from tests.conftest import in_ci
from tests.live.conftest import Installation, Phone, Server, eventually, last_seq, move, new_talk
from tests.web.processes import peer_ports, workers
from tests.web.roaming_phone import RoamingPhone
from tests.web.throwaway_postgres import ThrowawayPostgres, postgres_binaries

PHONES = 16
UNAVAILABLE = {"error": "Tjenesten er midlertidigt utilgængelig", "status": 503}


async def _move_until_done(api: httpx.AsyncClient, talk: dict, minute: int) -> None:
    """Move a talk, retrying when the request is lost with a dying worker (it either committed,
    and its seq is in the log, or it did not)."""
    for _ in range(5):
        try:
            await move(api, talk, minute)
            return
        except (httpx.TransportError, httpx.HTTPStatusError):
            await asyncio.sleep(0.2)
    raise AssertionError(f"could not move the talk to minute {minute}")


async def _all_have_everything(phones: list[RoamingPhone], since: int, final: int) -> None:
    for phone in phones:
        await phone.wait_for(final, timeout=20)
        await phone.ping()  # anything still on its way arrives before the pong
    wrong = {n: p.seqs() for n, p in enumerate(phones) if p.seqs() != list(range(since + 1, final + 1))}
    assert not wrong, f"phones that missed, repeated or reordered a change (expected {since + 1}..{final}): {wrong}"


async def test_phones_of_a_killed_worker_reconnect_and_miss_nothing(postgres_installation):
    async with Server(postgres_installation, workers=2) as server, server.api() as api:
        async def two_workers() -> bool:
            return len(workers(server.process.pid)) == 2

        assert await eventually(two_workers, timeout=20)
        talk = await new_talk(api)
        since = await last_seq(api)
        phones = [await RoamingPhone(server.ws_url).roam(since) for _ in range(PHONES)]
        for phone in phones:
            await phone.ping()
        ports = {phone.ws.local_address[1]: phone for phone in phones}
        held = {pid: peer_ports(pid) & set(ports) for pid in workers(server.process.pid)}
        victim = max(held, key=lambda pid: len(held[pid]))
        assert held[victim], held

        for minute in range(30):
            if minute == 10:
                os.kill(victim, signal.SIGKILL)
            await _move_until_done(api, talk, minute)
        final = await last_seq(api)
        assert final >= since + 29
        await _all_have_everything(phones, since, final)
        assert {p for p in phones if p.reconnects} == {ports[port] for port in held[victim]}

        assert await eventually(two_workers, timeout=20)
        assert victim not in workers(server.process.pid)  # uvicorn replaced the worker
        for phone in phones:
            await phone.stop()


async def test_after_a_restart_phones_resume_from_their_seq(sqlite_installation):
    server = Server(sqlite_installation)
    async with server, server.api() as api:
        talk = await new_talk(api)
        since = await last_seq(api)
        phones = [await RoamingPhone(server.ws_url).roam(since) for _ in range(PHONES)]
        for minute in range(5):
            await move(api, talk, minute)
        for phone in phones:
            await phone.wait_for(since + 5)
            phone.online.clear()  # they will not find the server again until it has moved on

    async def all_disconnected() -> bool:
        return all(p.reconnects for p in phones)

    assert await eventually(all_disconnected)

    async with server, server.api() as api:  # the same database, the same address
        for minute in range(5, 10):
            await move(api, talk, minute)  # while every phone is away
        for phone in phones:
            phone.online.set()
        for minute in range(10, 15):
            await move(api, talk, minute)
        await _all_have_everything(phones, since, since + 15)
        assert all(p.reconnects == 1 for p in phones)
        for phone in phones:
            await phone.stop()


async def _slow_query(url: str) -> BaseException:
    """What a query still running when PostgreSQL shuts down raises."""
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://"))
    try:
        await connection.execute("SELECT pg_sleep(30)")
    except Exception as exc:
        return exc
    finally:
        connection.terminate()
    raise AssertionError("the query outlived the shutdown")


@pytest.mark.parametrize(("error", "down"), [
    (ConnectionRefusedError(111, "Connection refused"), True),
    (asyncpg.CannotConnectNowError("the database system is starting up"), True),
    (asyncpg.CannotConnectNowError("the database system is shutting down"), True),
    (asyncpg.AdminShutdownError("terminating connection due to administrator command"), True),
    (asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"), True),
    (asyncpg.TooManyConnectionsError("sorry, too many clients already"), True),
    (asyncpg.InterfaceError("cannot perform operation: connection is closed"), True),
    (DBConnectionError("Can't establish connection to database messe"), True),
    (OperationalError("invalid byte sequence for encoding \"UTF8\": 0x00"), False),
    (OperationalError('relation "talk" does not exist'), False),
    (IntegrityError("duplicate key value violates unique constraint"), False),
    (ValueError("a bug"), False),
])
def test_a_lost_database_is_told_from_a_bug(error, down):
    assert is_database_down(error) is down


@pytest.fixture
def own_postgres() -> Iterator[ThrowawayPostgres]:
    binaries = postgres_binaries()
    if binaries is None:
        message = "PostgreSQL server binaries are not installed (Debian: apt-get install postgresql)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    cluster = ThrowawayPostgres(binaries)
    cluster.start()
    yield cluster
    cluster.remove()


async def test_a_postgres_restart_gives_clean_503s_and_recovers_by_itself(own_postgres, tmp_path: Path):
    installation = Installation(database_url=own_postgres.url(f"messe_{uuid.uuid4().hex[:8]}"),
                                folder=tmp_path).set_up()
    async with Server(installation) as server, server.api() as api, \
            httpx.AsyncClient(base_url=f"{server.base}/messe13", headers={"Accept": "text/html"}) as browser:
        talk = await new_talk(api)
        since = await last_seq(api)
        phone = await Phone(server.ws_url).connect(since)
        await phone.ping()

        in_flight = asyncio.create_task(_slow_query(own_postgres.url(installation.database_url.rsplit("/", 1)[1])))
        await asyncio.sleep(0.3)
        own_postgres.stop()
        cut = await in_flight
        assert is_database_down(cut), repr(cut)  # what a request busy at that moment meets: 503, not 500
        for _ in range(3):  # again and again, on the same keep-alive connections
            listing = await api.get("/api/talks")
            assert (listing.status_code, listing.json()) == (503, UNAVAILABLE)
            assert listing.headers["retry-after"] == "5"
            change = await api.patch(f"/api/talks/{talk['id']}", json={"title": "Aldrig gemt"})
            assert (change.status_code, change.json()) == (503, UNAVAILABLE)
            page = await browser.get("/exhibitors")
            assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
            assert '<html lang="da">' in page.text and "Tjenesten er midlertidigt utilgængelig" in page.text
        # The event is known from memory: a phone that reconnects now stays connected, and hears
        # the next change once the database is back.
        late_phone = await Phone(server.ws_url).connect(since)
        await late_phone.ping()

        own_postgres.start()  # messe is not restarted

        async def answering() -> bool:
            return (await api.get("/api/talks")).status_code == 200

        assert await eventually(answering, timeout=15)
        await move(api, talk, 30)
        await phone.wait_for(since + 1)
        assert phone.seqs() == [since + 1]  # the edit refused during the outage never happened
        assert phone.changes()[0]["talk"]["title"] == "Testforedrag"
        await late_phone.wait_for(since + 1)
        assert late_phone.seqs() == [since + 1]
        await late_phone.close()
        assert (await browser.get("/exhibitors")).status_code == 200
        await phone.close()
