"""Every expo route under ``/{event}``."""

from messe.expo.interfaces import api, leads, leads_pages, pages

routes = [*api.routes, *pages.routes, *leads.routes, *leads_pages.routes]
