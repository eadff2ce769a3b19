"""Only organisers get past ``/{event}/admin/``: anonymous visitors are sent to the login page,
everyone else signed in gets 403. One middleware on the admin mount, so no page can forget it."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import HTTPConnection
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from messe.web.context import current_event, current_principal, require_organiser


class OrganiserGate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            conn = HTTPConnection(scope)
            if (await current_principal(conn)).is_anonymous:
                event = await current_event(conn)
                target = conn.url.path + (f"?{conn.url.query}" if conn.url.query else "")
                if scope["method"] not in ("GET", "HEAD"):
                    target = f"/{event.slug}/admin/"
                response = RedirectResponse(f"/{event.slug}/login?next={quote(target, safe='/')}", status_code=303)
                await response(scope, receive, send)
                return
            await require_organiser(conn)
        await self.app(scope, receive, send)
