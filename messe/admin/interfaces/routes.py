"""Every admin route, mounted at ``/{event}/admin`` behind the organiser gate."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount

from messe.admin.interfaces.gate import OrganiserGate
from messe.admin.interfaces.pages import (
    accounts,
    announcements,
    attendee_import,
    attendees,
    audit,
    badges,
    capacity,
    dashboard,
    exhibitors,
    home,
    mailing,
    organisations,
    programme,
    programme_import,
    speakers,
    stages,
    talks,
    tokens,
    tracks,
)

SECTIONS = (home, programme, talks, capacity, stages, tracks, speakers, programme_import, attendee_import, mailing,
            attendees, organisations, exhibitors, badges, announcements, dashboard, accounts, tokens, audit)

routes: list[BaseRoute] = [
    Mount("/admin", routes=[route for section in SECTIONS for route in section.routes],
          middleware=[Middleware(OrganiserGate)]),
]
