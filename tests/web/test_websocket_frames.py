"""Malformed and oversized frames on the live socket, against a real server: the sender's
connection is closed with a close code that says why, and the server goes on serving everyone
else. A socket for an event that does not exist is refused with 404."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from tests.conftest import bearer
from tests.live.conftest import Phone, eventually, last_seq, move, new_talk
from tests.web.conftest import EVENT

UNSUPPORTED_DATA, POLICY_VIOLATION, MESSAGE_TOO_BIG = 1003, 1008, 1009
MIB = 1 << 20

FRAMES: dict[str, tuple[str | bytes, int]] = {
    "not JSON": ("hello", POLICY_VIOLATION),
    "a JSON array": ('[{"type": "ping"}]', POLICY_VIOLATION),
    "a JSON string": ('"ping"', POLICY_VIOLATION),
    "no type": ("{}", POLICY_VIOLATION),
    "an unknown type": ('{"type": "subscribe", "talks": [1]}', POLICY_VIOLATION),
    "since as text": ('{"type": "hello", "since": "12"}', POLICY_VIOLATION),
    "since below zero": ('{"type": "hello", "since": -1}', POLICY_VIOLATION),
    "since beyond any seq": ('{"type": "hello", "since": 18446744073709551616}', POLICY_VIOLATION),
    "since a fraction": ('{"type": "hello", "since": 1.5}', POLICY_VIOLATION),
    "since true": ('{"type": "hello", "since": true}', POLICY_VIOLATION),
    "deeply nested": ("[" * 490 + "]" * 490, POLICY_VIOLATION),
    "binary": (b'{"type": "ping"}', UNSUPPORTED_DATA),
    "1 MiB of text": ("x" * MIB, MESSAGE_TOO_BIG),
    "1 MiB of valid JSON": (json.dumps({"type": "ping", "padding": "x" * MIB}), MESSAGE_TOO_BIG),
}


async def _close_code_after(url: str, frame: str | bytes) -> int | None:
    """Say hello, send ``frame``, and read until the server closes: its close code."""
    async with websockets.connect(url, compression=None, max_size=None) as ws:
        await ws.send('{"type": "hello", "since": 0}')
        await ws.send(frame)
        try:
            async with asyncio.timeout(10):
                async for _ in ws:
                    pass
        except TimeoutError:
            return None  # still open
        except websockets.ConnectionClosedError:
            pass  # closed with a code other than "normal"
        return ws.close_code


async def test_a_bad_frame_closes_its_connection_and_no_other(fuzz_server):
    ws_url = fuzz_server.base_url.replace("http://", "ws://") + f"{EVENT}/ws"
    async with httpx.AsyncClient(base_url=fuzz_server.base_url + EVENT, timeout=10,
                                 headers=bearer(fuzz_server.organiser_token)) as api:
        since = await last_seq(api)
        bystander = await Phone(ws_url).connect(since)
        await bystander.ping()

        codes = {name: await _close_code_after(ws_url, frame) for name, (frame, _) in FRAMES.items()}
        assert codes == {name: code for name, (_, code) in FRAMES.items()}

        talk = await new_talk(api)
        await move(api, talk, 45)
        await bystander.wait_for(await last_seq(api))
        assert bystander.seqs() == list(range(since + 1, await last_seq(api) + 1))

        async def only_the_bystander_left() -> bool:
            return (await api.get("/api/live")).json()["connections"] == 1

        assert await eventually(only_the_bystander_left)
        await bystander.close()


@pytest.mark.parametrize("slug", ["no-such-fair", "MESSE13", "x" * 300])
async def test_the_socket_of_an_unknown_event_is_refused_with_404(fuzz_server, slug):
    url = fuzz_server.base_url.replace("http://", "ws://") + f"/{slug}/ws"
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(url, compression=None):
            pass
    assert refused.value.response.status_code == 404
