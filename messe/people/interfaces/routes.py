"""Every people route under ``/{event}``."""

from messe.people.interfaces import api, pages

routes = [*pages.routes, *api.routes]
