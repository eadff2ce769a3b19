"""Every expo route under ``/{event}``."""

from messe.expo.interfaces import api, pages

routes = [*api.routes, *pages.routes]
