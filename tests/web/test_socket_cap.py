"""A cap on live sockets per client address (issue 14, low): beyond it the address's oldest
socket is closed with a reason, the newer ones keep working, and the cap is generous by default
(the venue's NAT puts every phone behind one address)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket

import pytest
import uvicorn
import websockets

from messe.config import Settings
from messe.web.socket_limits import CROWDED

CAP = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
async def live_url(app, fair):
    """The in-process app behind a real uvicorn socket, capped at ``CAP`` sockets per address."""
    original = app.state.settings
    app.state.settings = dataclasses.replace(original, websockets_per_address=CAP)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    yield f"ws://127.0.0.1:{port}/messe13/ws"
    server.should_exit = True
    await serving
    app.state.settings = original


async def _still_open(ws) -> bool:
    await ws.send('{"type": "ping"}')
    try:
        async with asyncio.timeout(2):
            await ws.recv()
    except websockets.ConnectionClosed:
        return False
    return True


async def test_the_oldest_socket_beyond_the_cap_is_closed(live_url, app):
    async with contextlib.AsyncExitStack() as stack:
        sockets = []
        for _ in range(CAP + 1):
            ws = await stack.enter_async_context(websockets.connect(live_url))
            await ws.send('{"type": "hello", "since": 0}')
            sockets.append(ws)
        oldest, *newer = sockets
        with pytest.raises(websockets.ConnectionClosed):
            async with asyncio.timeout(5):
                while True:
                    await oldest.recv()
        assert oldest.close_code == CROWDED and "too many connections" in oldest.close_reason
        assert [await _still_open(ws) for ws in newer] == [True] * CAP
        assert app.state.sockets.count("127.0.0.1") == CAP


def test_the_default_cap_lets_a_whole_venue_share_one_address():
    assert Settings().websockets_per_address >= 2000 * 2
    assert Settings.from_env({"MESSE_SECRET_KEY": "k" * 32, "MESSE_WS_PER_ADDRESS": "7"}).websockets_per_address == 7
