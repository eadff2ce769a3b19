"""The ASGI application: routes of every domain, middleware, and the lifespan that opens the
database and the broker."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from tortoise.contrib.starlette import RegisterTortoise

from messe.admin.interfaces import routes as admin
from messe.badges.domain.fonts import warm_badge_fonts
from messe.badges.interfaces import routes as badges
from messe.checkin.interfaces import routes as checkin
from messe.common.refusal import Refusal
from messe.config import NODE_MODULES, STATIC_DIR, Settings, check_secret
from messe.db import quick_thread_handoffs, tortoise_config
from messe.expo.interfaces import routes as expo
from messe.expo.models import Exhibitor
from messe.live.runtime import live_runtime
from messe.people.domain.bookmarks import LiveStars
from messe.people.domain.link_requests import LinkRequests
from messe.people.domain.token_use import token_use
from messe.people.interfaces import routes as people
from messe.people.interfaces import site
from messe.programme.domain.changelog import LiveChangeLog
from messe.programme.domain.speaker_notices import SpeakerNotices
from messe.programme.interfaces import routes as programme
from messe.programme.interfaces.websocket import LiveSocketMiddleware, live_socket
from messe.programme.models import ScheduleChange, Speaker, Stage, Talk, Track
from messe.programme.runtime import speaker_notice_runtime
from messe.push.interfaces import routes as push
from messe.push.runtime import make_sender, push_runtime
from messe.web import openapi_route
from messe.web.admission import AdmissionMiddleware, Admitted
from messe.web.availability import DATABASE_DOWN
from messe.web.collector import fewer_young_collections
from messe.web.context import EventContextMiddleware
from messe.web.errors import database_unavailable, http_error, refused, server_error
from messe.web.events import EventDirectory, forget_when_changed
from messe.web.public_cache import PublicCacheMiddleware
from messe.web.ratelimit import RateLimiter
from messe.web.request_limits import RequestLimitsMiddleware
from messe.web.routing import RememberingRouter
from messe.web.security import SecurityMiddleware
from messe.web.socket_limits import SocketsPerAddress
from messe.web.templates import compile_templates

SESSION_COOKIE = "messe_session"
# What attendees see of an event besides its own row: a change to any of these forgets the copies
# this process holds of the event and of its public pages (messe.web.events, messe.web.public_cache).
SEEN_BY_ATTENDEES = (ScheduleChange, Stage, Track, Speaker, Talk, Exhibitor)


def event_routes() -> list[BaseRoute]:
    """Every route that lives under ``/{event}``, gathered from the domains' interfaces."""
    return [
        *people.routes,
        *programme.routes,
        *expo.routes,
        *badges.routes,
        *admin.routes,
        *checkin.routes,
        *push.routes,
        *openapi_route.routes,
    ]


def site_routes() -> list[BaseRoute]:
    return list(site.routes)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    check_secret(settings.secret_key, "Settings.secret_key")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Loading the badge fonts once here keeps the first door-side badge under 100 ms.
        warm_badge_fonts()
        compile_templates()
        with quick_thread_handoffs(settings.database_url), fewer_young_collections():
            async with (
                RegisterTortoise(app, config=tortoise_config(settings.database_url)),
                live_runtime(app, settings, LiveChangeLog(), LiveStars()),
                push_runtime(app, settings),
                speaker_notice_runtime(app),
                app.state.events.kept_fresh(),
                app.state.link_requests.running(),
                token_use.running(),
            ):
                # Start-up objects live for the whole run; freezing them keeps full GC passes
                # out of websocket fan-outs (see NOTES.md).
                gc.collect()
                gc.freeze()
                yield

    static_mounts: list[BaseRoute] = [Mount("/static", StaticFiles(directory=STATIC_DIR), name="static")]
    if NODE_MODULES.exists():
        static_mounts.append(Mount("/vendor", StaticFiles(directory=NODE_MODULES), name="vendor"))
    routes: list[BaseRoute] = [
        *static_mounts,
        *site_routes(),
        Mount("/{event}", app=RememberingRouter(event_routes()), middleware=[Middleware(EventContextMiddleware)]),
    ]
    session = {"secret_key": settings.secret_key, "same_site": "lax", "https_only": settings.secure_cookies,
               "session_cookie": f"__Host-{SESSION_COOKIE}" if settings.secure_cookies else SESSION_COOKIE,
               "max_age": 7 * 24 * 3600}
    admitted = Admitted()
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(LiveSocketMiddleware, socket=SessionMiddleware(live_socket, **session)),
            Middleware(PublicCacheMiddleware),
            Middleware(AdmissionMiddleware, max_in_flight=settings.max_in_flight, admitted=admitted),
            Middleware(SessionMiddleware, **session),
            Middleware(SecurityMiddleware, settings=settings),
            Middleware(RequestLimitsMiddleware, max_body_size=settings.max_body_size,
                       max_json_body_size=settings.max_json_body_size),
        ],
        exception_handlers={HTTPException: http_error, Refusal: refused, Exception: server_error,
                            **dict.fromkeys(DATABASE_DOWN, database_unavailable)},
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.admitted = admitted
    forget_when_changed(*SEEN_BY_ATTENDEES)
    app.state.events = EventDirectory()
    app.state.limiter = RateLimiter(settings.redis_url)
    app.state.push = make_sender(settings)
    app.state.link_requests = LinkRequests()
    app.state.speaker_notices = SpeakerNotices()
    app.state.sockets = SocketsPerAddress()
    return app
