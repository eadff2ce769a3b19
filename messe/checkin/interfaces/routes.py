"""Every check-in route under ``/{event}``."""

from messe.checkin.interfaces import api, desk, pages

routes = [*api.routes, *desk.routes, *pages.routes]
