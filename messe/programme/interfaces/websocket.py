"""``/<event>/ws``: the live programme socket (protocol in messe.live.protocol).

This module only adapts a Starlette websocket to the hub: the hub sends, and the connection's
own task reads the client's ``hello`` and ``ping`` and passes them on; any other frame closes
the connection with a close code that says why. A signed-in attendee also gets ``starred``; the
session only counts when the page that opens the socket is our own (Origin), so another site
cannot learn whose personal schedule holds which talk.
"""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

from starlette.websockets import WebSocket

from messe.live.hub import Hub, Subscriber
from messe.live.protocol import BadFrame, Hello, parse_client
from messe.web.context import current_event, current_principal
from messe.web.errors import ApiError
from messe.web.ratelimit import client_address
from messe.web.socket_limits import CROWDED, CROWDED_REASON


def _same_origin(websocket: WebSocket) -> bool:
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser
    return urlsplit(origin).netloc == websocket.headers.get("host", "")


async def _read(websocket: WebSocket, hub: Hub, sub: Subscriber) -> None:
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        try:
            request = parse_client(message.get("text"))
        except BadFrame as bad:
            await websocket.close(code=bad.code, reason=bad.reason)
            return
        if isinstance(request, Hello):
            hub.hello(sub, request.since)
        else:
            hub.ping(sub)


async def live_socket(websocket: WebSocket) -> None:
    try:
        event_id = (await current_event(websocket)).id
        principal = await current_principal(websocket)
    except ApiError:
        await websocket.close(code=1008)
        return
    # The connection lasts for hours: keep the ids, not the event record cached for the request.
    with contextlib.suppress(KeyError):
        del websocket.state.event
    hub: Hub = websocket.app.state.hub
    await websocket.accept()
    async with websocket.app.state.sockets.admitted(client_address(websocket),
                                                    websocket.app.state.settings.websockets_per_address,
                                                    lambda: _close_crowded(websocket)):
        attendee_id = principal.attendee_id if _same_origin(websocket) else None
        sub = await hub.join(event_id, attendee_id, websocket.send_text)
        await hub.run(sub, lambda: _read(websocket, hub, sub))


async def _close_crowded(websocket: WebSocket) -> None:
    """Close the socket to make room for a newer one from its address."""
    with contextlib.suppress(RuntimeError, OSError):  # it may be closing already
        await websocket.close(code=CROWDED, reason=CROWDED_REASON)
