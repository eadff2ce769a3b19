"""Every check-in route under ``/{event}``."""

from messe.checkin.interfaces import api, pages

routes = [*api.routes, *pages.routes]
