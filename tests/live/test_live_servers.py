"""The live programme against real servers: replay after a lost connection, two workers over
Redis, Redis going away and coming back, a phone that never reads, and the protocol details."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import socket
import time
from types import SimpleNamespace

import httpx
import pytest

from messe.live.runtime import make_broker
from tests.live.conftest import Phone, Server, eventually, last_seq, move, new_talk


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_a_phone_that_was_away_gets_all_ten_changes_in_order(database, request):
    installation = request.getfixturevalue(f"{database}_installation")
    async with Server(installation) as server, server.api() as api:
        talk = await new_talk(api)
        since = await last_seq(api)
        phone = await Phone(server.ws_url).connect(since)
        await phone.ping()
        await phone.close()  # the battery dies

        for minute in (5, 10, 15, 20):
            await move(api, talk, minute)
        for n in range(3):
            (await api.post("/api/announcements", json={"title": f"Meddelelse {n}"})).raise_for_status()
        await api.patch(f"/api/talks/{talk['id']}", json={"title": "Nyt navn"})
        await move(api, talk, 40)
        await api.patch(f"/api/talks/{talk['id']}", json={"state": "cancelled"})
        assert await last_seq(api) == since + 10

        back = await Phone(server.ws_url).connect(since)
        await back.wait_for(since + 10)
        await back.ping()  # anything still on its way would arrive before the pong
        assert back.seqs() == list(range(since + 1, since + 11))
        assert [f.get("kind") for f in back.changes()] == ["retimed"] * 4 + [None] * 3 + [
            "updated", "retimed", "cancelled"]
        await back.close()


async def test_a_change_through_worker_a_reaches_a_phone_on_worker_b(postgres_installation):
    async with Server(postgres_installation) as a, Server(postgres_installation) as b, a.api() as api:
        talk = await new_talk(api)
        await eventually(lambda: _connected(a, b))
        phone = await Phone(b.ws_url).connect(await last_seq(api))
        await phone.ping()
        started = time.monotonic()
        await move(api, talk, 30)
        arrived = await phone.wait_for(await last_seq(api), timeout=5)
        assert arrived - started < 1.0  # live through Redis; B alone would check only every 15 s
        assert phone.changes()[-1]["talk"]["starts_at"] == "2026-11-27T10:30:00+00:00"
        await phone.close()


async def test_a_forged_broker_message_reaches_no_phone_and_the_real_change_still_arrives(postgres_installation):
    """Whoever can publish on Redis (M2 of the security review) cannot put words on the phones,
    nor take the seq of the organiser's next announcement."""
    from redis.asyncio import Redis

    channel = make_broker(SimpleNamespace(redis_url=postgres_installation.redis_url,
                                          database_url=postgres_installation.database_url)).channel
    event_id = int(postgres_installation.python(
        "from messe.common.models import Event\nprint((await Event.get(slug='messe13')).id)"))
    async with Server(postgres_installation) as a, Server(postgres_installation) as b, a.api() as api:
        await eventually(lambda: _connected(a, b))
        since = await last_seq(api)
        phones = [await Phone(server.ws_url).connect(since) for server in (a, b, a, b)]
        for phone in phones:
            await phone.ping()
        redis = Redis.from_url(postgres_installation.redis_url)
        try:
            forged = {"event": event_id, "seq": since + 1, "kind": "announcement", "talk_id": None, "after": None,
                      "before": None, "at": "2026-11-27T09:00:00+00:00",
                      "message": {"title": "INJECTED: venue evacuated", "body": "Leave now", "level": "urgent"}}
            assert await redis.publish(channel, json.dumps(forged)) == 2  # both workers listen
            await asyncio.sleep(0.5)
            for phone in phones:
                await phone.ping()
                assert phone.changes() == []
            (await api.post("/api/announcements", json={"title": "Kaffen er klar"})).raise_for_status()
            assert await last_seq(api) == since + 1
            await redis.publish(channel, json.dumps(forged))  # again, now that the seq exists
            for phone in phones:
                await phone.wait_for(since + 1, timeout=5)
                await phone.ping()
                assert [(c["seq"], c["title"]) for c in phone.changes()] == [(since + 1, "Kaffen er klar")]
        finally:
            await redis.aclose()
        for phone in phones:
            await phone.close()


async def test_organisers_count_the_phones_of_every_worker(postgres_installation):
    async with Server(postgres_installation) as a:
        async with Server(postgres_installation) as b:
            await eventually(lambda: _connected(a, b))
            phones = [await Phone(a.ws_url).connect(0), await Phone(b.ws_url).connect(0),
                      await Phone(b.ws_url).connect(0)]
            for phone in phones:
                await phone.ping()

            async def counted() -> dict:
                status = await a.status()
                return status if status["all_connections"] == 3 else {}

            status = await eventually(counted, timeout=10)
            assert (status["connections"], status["all_connections"], status["processes"]) == (1, 3, 2)
            for phone in phones[1:]:
                await phone.close()
        # B has stopped: its phones no longer count.
        status = await a.status()
        assert (status["connections"], status["all_connections"], status["processes"]) == (1, 1, 1)
        await phones[0].close()


async def _broker_states(servers: tuple[Server, ...]) -> list[bool]:
    return [(await s.status())["broker_connected"] for s in servers]


async def _connected(*servers: Server) -> bool:
    return all(await _broker_states(servers))


async def _disconnected(*servers: Server) -> bool:
    return not any(await _broker_states(servers))


async def test_phones_converge_while_redis_is_down_and_live_delivery_resumes(postgres_installation, own_redis):
    postgres_installation.redis_url = own_redis.url
    async with Server(postgres_installation) as a, Server(postgres_installation) as b, a.api() as api:
        talk = await new_talk(api)
        assert await eventually(lambda: _connected(a, b))
        since = await last_seq(api)
        phone = await Phone(b.ws_url).connect(since)
        await phone.ping()

        own_redis.stop()
        assert await eventually(lambda: _disconnected(a, b))
        for minute in (5, 10, 15):
            await move(api, talk, minute)
        await phone.wait_for(since + 3, timeout=10)  # B found them in the database
        late = await Phone(b.ws_url).connect(since)  # and a phone that reconnects replays them
        await late.wait_for(since + 3)

        await own_redis.start()
        assert await eventually(lambda: _connected(a, b), timeout=20)
        started = time.monotonic()
        await move(api, talk, 20)
        assert await phone.wait_for(since + 4, timeout=5) - started < 1.0  # live again
        await late.wait_for(since + 4)
        assert phone.seqs() == late.seqs() == list(range(since + 1, since + 5))
        await phone.close()
        await late.close()


def _never_reading_socket(port: int, path: str, since: int) -> socket.socket:
    """A websocket client that says hello and then never reads another byte."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
    assert sock.recv(12) == b"HTTP/1.1 101"
    hello = json.dumps({"type": "hello", "since": since}).encode()
    mask = os.urandom(4)
    sock.sendall(bytes([0x81, 0x80 | len(hello)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(hello)))
    return sock


def _drain_until_closed(sock: socket.socket, timeout: float) -> bool:
    sock.settimeout(timeout)
    with contextlib.suppress(TimeoutError, ConnectionResetError):
        while sock.recv(1 << 20):
            pass
        return True
    return False


async def test_a_phone_that_never_reads_does_not_delay_the_others_and_is_disconnected(sqlite_installation):
    async with Server(sqlite_installation) as server, server.api() as api:
        talk = await new_talk(api)
        since = await last_seq(api)
        stuck = _never_reading_socket(server.port, "/messe13/ws", since)
        phone = await Phone(server.ws_url).connect(since)
        await phone.ping()
        assert (await server.status())["connections"] == 2

        # Big changes (a 20,000-character abstract, twice per message) fill the stuck socket fast.
        delays = []
        for n in range(120):
            started = time.monotonic()
            response = await api.patch(f"/api/talks/{talk['id']}", json={"abstract": "😀🙃"[n % 2] * 20000})
            response.raise_for_status()
            delays.append(await phone.wait_for(since + n + 1, timeout=5) - started)
            if (await server.status())["connections"] == 1:
                break
        else:
            raise AssertionError("the phone that never reads was never disconnected")
        assert max(delays) < 1.0, delays
        assert await asyncio.to_thread(_drain_until_closed, stuck, 10)  # the server closed it
        await phone.close()


async def _sign_in_and_star(server: Server, talk_id: int) -> dict[str, str]:
    """An attendee's session cookie, with ``talk_id`` starred."""
    token = server.installation.python(
        "from messe.people.domain.accounts import issue_personal_link_token\n"
        "from messe.people.models import Attendee\n"
        "print(await issue_personal_link_token(await Attendee.filter(role='deltager').order_by('id').first()))")
    async with httpx.AsyncClient(base_url=f"{server.base}/messe13") as browser:
        assert (await browser.get(f"/link/{token}")).status_code == 303
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', (await browser.get("/")).text).group(1)
        starred = await browser.put(f"/api/me/stars/{talk_id}", headers={"X-CSRF-Token": csrf})
        assert starred.status_code == 200, starred.text
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items())}


async def test_starred_pong_and_resync(sqlite_installation):
    async with Server(sqlite_installation) as server, server.api() as api:
        mine, other = await new_talk(api), await new_talk(api)
        cookie = await _sign_in_and_star(server, mine["id"])
        since = await last_seq(api)
        attendee = await Phone(server.ws_url, {**cookie, "Origin": server.base}).connect(since)
        anonymous = await Phone(server.ws_url).connect(since)
        elsewhere = await Phone(server.ws_url, {**cookie, "Origin": "https://evil.example"}).connect(since)
        for phone in (attendee, anonymous, elsewhere):
            await phone.ping()
        await move(api, mine, 10)
        await move(api, other, 10)
        for phone in (attendee, anonymous, elsewhere):
            await phone.wait_for(since + 2)
        assert [c["starred"] for c in attendee.changes()] == [True, False]
        assert [c["starred"] for c in anonymous.changes()] == [False, False]
        assert [c["starred"] for c in elsewhere.changes()] == [False, False]  # another site learns nothing

        replayed = await Phone(server.ws_url, {**cookie, "Origin": server.base}).connect(since)
        await replayed.wait_for(since + 2)
        assert [c["starred"] for c in replayed.changes()] == [True, False]

        future = await Phone(server.ws_url).connect(since + 1000)  # a log this server never wrote
        await future.ping()
        assert future.frames[0] == {"type": "resync", "seq": since + 2}
        for phone in (attendee, anonymous, elsewhere, replayed, future):
            await phone.close()
