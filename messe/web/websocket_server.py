"""uvicorn's websocket protocol with a synchronous send, for the live fan-out.

A programme change goes to every phone at once: 2,000 sends in one turn of the loop. Through
ASGI each is a message dict and two coroutines (the session layer's ``send`` and the server's),
and the server encodes the same text again for every phone; a bare ``websockets`` broadcast
writes each frame straight to its socket. So the server offers, as an ASGI extension, a send
that writes a text frame at once and says so; where it cannot (the socket is full, the
connection is closing or gone, or compresses), it returns False, and the ordinary ``send`` deals
with it: it waits, or raises for a client that left. A server's frame is not masked, so every
phone gets the same bytes for the same text: they are made once (``text_frame``), where uvicorn,
and a ``websockets`` broadcast, build the frame again for every phone. Served without this
protocol (the test client, another server) the extension is absent and everything goes through
ASGI.

``messe serve`` uses it; with uvicorn directly, ``--ws`` names it (``UVICORN_WS``).
"""

from __future__ import annotations

import functools

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Request
from websockets.protocol import State

SEND_TEXT_NOW = "messe.send_text_now"
UVICORN_WS = "messe.web.websocket_server:LiveWebSocketProtocol"  # uvicorn's ``--ws``


@functools.lru_cache(maxsize=64)  # a fan-out sends one or two texts to every phone
def text_frame(text: str) -> bytes:
    """``text`` as one unmasked, uncompressed text frame."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


class LiveWebSocketProtocol(WebSocketsSansIOProtocol):
    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)  # none when the handshake was refused
        if scope is not None:
            scope["extensions"][SEND_TEXT_NOW] = self.send_text_now

    def send_text_now(self, text: str) -> bool:
        """Write ``text`` as a frame if that needs no waiting; False when it does, or when the
        frame would not be the plain one (compression), or the connection is not open."""
        conn = self.conn
        if (not self.writable.is_set() or self.disconnected or self.close_sent or not self.handshake_complete
                or self.initial_response is not None or conn.state is not State.OPEN or conn.extensions
                or conn.expect_continuation_frame or conn.writes):
            return False
        self.transport.write(text_frame(text))
        return True
