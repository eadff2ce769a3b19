"""The server's synchronous send (messe.web.websocket_server) under a real uvicorn: a frame sent
through it arrives as the same text the ASGI send would have delivered, and where it must not
write (a compressing connection, a full socket, a closed one) it says so and ASGI sends instead."""

from __future__ import annotations

import asyncio
import socket

import pytest
import uvicorn
import websockets

from messe.web.websocket_server import SEND_TEXT_NOW, LiveWebSocketProtocol, text_frame

TEXT = '{"type":"change","talk":{"title":"Æblegrød på Ørestad — 北京 – Şişli"}}'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class EchoApp:
    """Sends ``TEXT`` through the extension, or through ASGI when it declines, and records which."""

    def __init__(self) -> None:
        self.answers: list[bool] = []
        self.protocols: list[LiveWebSocketProtocol] = []

    async def __call__(self, scope, receive, send) -> None:
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})
        send_now = scope["extensions"][SEND_TEXT_NOW]
        self.protocols.append(send_now.__self__)
        while (await receive())["type"] != "websocket.disconnect":
            sent = send_now(TEXT)
            self.answers.append(sent)
            if not sent:
                await send({"type": "websocket.send", "text": TEXT})


@pytest.fixture
async def served():
    app = EchoApp()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning",
                                           ws=LiveWebSocketProtocol))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    yield app, f"ws://127.0.0.1:{port}/"
    server.should_exit = True
    await serving


async def test_a_frame_sent_at_once_arrives_as_its_text(served):
    app, url = served
    async with websockets.connect(url, compression=None) as ws:
        for _ in range(3):
            await ws.send("?")
            assert await ws.recv() == TEXT
    assert app.answers == [True, True, True]


async def test_a_compressing_connection_is_left_to_the_asgi_send(served):
    app, url = served
    async with websockets.connect(url) as ws:  # asks for permessage-deflate, which uvicorn grants
        await ws.send("?")
        assert await ws.recv() == TEXT
    assert app.answers == [False]


async def test_a_full_socket_is_left_to_the_asgi_send_which_waits(served):
    app, url = served
    async with websockets.connect(url, compression=None) as ws:
        await ws.send("?")
        assert await ws.recv() == TEXT
        protocol = app.protocols[0]
        protocol.pause_writing()  # what the transport says when its buffer is full
        assert protocol.send_text_now(TEXT) is False
        protocol.resume_writing()
        assert protocol.send_text_now(TEXT) is True
        assert await ws.recv() == TEXT


async def test_nothing_is_written_once_the_connection_is_closing(served):
    app, url = served
    async with websockets.connect(url, compression=None) as ws:
        await ws.send("?")
        await ws.recv()
    protocol = app.protocols[0]
    for _ in range(100):
        if protocol.conn.state is not websockets.protocol.State.OPEN:
            break
        await asyncio.sleep(0.01)
    assert protocol.send_text_now(TEXT) is False


def test_the_frame_is_the_one_the_websockets_library_builds():
    frame = text_frame(TEXT)
    assert frame == websockets.frames.Frame(websockets.frames.Opcode.TEXT, TEXT.encode()).serialize(mask=False)
    assert text_frame(TEXT) is frame  # made once, sent to every phone
