"""Every expo route under ``/{event}``."""

from messe.expo.interfaces import api, bookmarks, leads, leads_pages, pages

routes = [*api.routes, *bookmarks.routes, *pages.routes, *leads.routes, *leads_pages.routes]
