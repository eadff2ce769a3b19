"""Every people route under ``/{event}``."""

from messe.people.interfaces import api, pages, stars

routes = [*pages.routes, *api.routes, *stars.routes]
