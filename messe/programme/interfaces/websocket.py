"""``/<event>/ws``: the live programme socket (protocol in messe.live.protocol).

This module only adapts an ASGI websocket to the hub: the hub sends, and the connection's own
task reads the client's ``hello`` and ``ping`` and passes them on; any other frame closes the
connection with a close code that says why. A signed-in attendee also gets ``starred``; the
session only counts when the page that opens the socket is our own (Origin), so another site
cannot learn whose personal schedule holds which talk.

A phone keeps its socket for hours, and every ASGI layer it passed through keeps a suspended
frame (and closures) for it all that time, and runs again for every frame sent. So the socket
does not go through the application's middleware and router: :class:`LiveSocketMiddleware`
sits outermost and hands websockets to :func:`live_socket` behind the session middleware alone
(the only layer it needs: who is signed in). At 2,000 phones that is several MB and one
wrapper per frame instead of a dozen.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Awaitable
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from messe.live import eager
from messe.live.hub import Hub, Subscriber
from messe.live.protocol import BadFrame, Hello, parse_client
from messe.web.availability import DATABASE_DOWN
from messe.web.context import current_event, current_principal
from messe.web.errors import STATUS_TITLES, ApiError, database_unavailable, http_error
from messe.web.ratelimit import client_address
from messe.web.socket_limits import CROWDED, CROWDED_REASON
from messe.web.websocket_server import SEND_TEXT_NOW

SOCKET_PATH = re.compile(r"^/(?P<event>[^/]+)/ws$")


class LiveSocketMiddleware:
    """Websockets to ``socket`` (the live socket behind its session layer), the rest to ``app``."""

    def __init__(self, app: ASGIApp, socket: ASGIApp) -> None:
        self.app = app
        self.socket = socket

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self.socket(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _same_origin(conn: HTTPConnection) -> bool:
    origin = conn.headers.get("origin")
    if origin is None:
        return True  # not a browser
    return urlsplit(origin).netloc == conn.headers.get("host", "")


async def _read(receive: Receive, send: Send, hub: Hub, sub: Subscriber) -> None:
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        try:
            request = parse_client(message.get("text"))
        except BadFrame as bad:
            await send({"type": "websocket.close", "code": bad.code, "reason": bad.reason})
            return
        if isinstance(request, Hello):
            hub.hello(sub, request.since)
        else:
            hub.ping(sub)


async def _refuse(scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
    """Refuse the handshake with the HTTP answer a page would get (404 for an unknown event, 503
    while the database is away, ...)."""
    request = WebSocket(scope, receive, send)  # as Starlette's own handlers are given it
    answer = await (http_error(request, exc) if isinstance(exc, ApiError) else database_unavailable(request, exc))
    await answer(scope, receive, send)


async def live_socket(scope: Scope, receive: Receive, send: Send) -> None:
    found = SOCKET_PATH.match(scope["path"])
    if found is None:
        await _refuse(scope, receive, send, ApiError(404, STATUS_TITLES[404]))
        return
    scope["path_params"] = found.groupdict()
    conn = HTTPConnection(scope)
    try:
        event_id = (await current_event(conn)).id
        principal = await current_principal(conn)
    except (ApiError, *DATABASE_DOWN) as exc:
        await _refuse(scope, receive, send, exc)
        return
    attendee_id = principal.attendee_id if _same_origin(conn) else None
    address = client_address(conn)
    for held in ("event", "principal"):  # the connection lasts for hours: keep the ids, not the records
        scope.get("state", {}).pop(held, None)
    if (await receive())["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    app = scope["app"]
    hub: Hub = app.state.hub

    send_now = scope.get("extensions", {}).get(SEND_TEXT_NOW)

    def send_text(text: str) -> Awaitable[None] | None:
        if send_now is not None and send_now(text):
            return None
        return eager.start(send({"type": "websocket.send", "text": text}))

    async def close_crowded() -> None:
        """Close the socket to make room for a newer one from its address."""
        with contextlib.suppress(RuntimeError, OSError):  # it may be closing already
            await send({"type": "websocket.close", "code": CROWDED, "reason": CROWDED_REASON})

    async with app.state.sockets.admitted(address, app.state.settings.websockets_per_address, close_crowded):
        sub = await hub.join(event_id, attendee_id, send_text)
        await hub.run(sub, lambda: _read(receive, send, hub, sub))
