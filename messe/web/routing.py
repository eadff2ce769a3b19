"""A router that remembers which of its routes answered a request's method and path.

Starlette's router tries its routes in order, a regular expression each, until one matches: a
scan (``POST /{event}/api/leads``) passed fifty routes of the event's sixty-seven before its own,
and a door's check-in sixty, and at three times the fair's scanning rate routing was 8 % of the
server's main thread (py-spy, bench/soak.py --rate-factor 3). Which route fully matches depends
only on the request's type, method and path (no route here looks at the host or headers), so the
answer is kept, for at most ``MOST`` paths (then forgotten, and found again). Anything but a full
match (405, a slash to redirect, 404) is left to Starlette's router, which works it out as always.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.routing import BaseRoute, Match, Router
from starlette.types import Receive, Scope, Send


class RememberingRouter(Router):
    MOST = 4096

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        super().__init__(routes=routes)
        self._answered: dict[tuple[str, str | None, str, str], BaseRoute] = {}

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await super().app(scope, receive, send)
            return
        key = (scope["type"], scope.get("method"), scope.get("root_path", ""), scope["path"])
        route = self._answered.get(key)
        if route is None:
            route = next((r for r in self.routes if r.matches(scope)[0] is Match.FULL), None)
            if route is None:
                await super().app(scope, receive, send)
                return
            if len(self._answered) >= self.MOST:
                self._answered.clear()
            self._answered[key] = route
        _, child_scope = route.matches(scope)
        scope.setdefault("router", self)
        scope["route"] = route
        scope.update(child_scope)
        await route.handle(scope, receive, send)
