"""Every people route under ``/{event}``."""

from messe.people.interfaces import api, pages, privacy, stars

routes = [*pages.routes, *api.routes, *stars.routes, *privacy.routes]
