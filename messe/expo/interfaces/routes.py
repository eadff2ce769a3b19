"""Every expo route under ``/{event}``."""

from messe.expo.interfaces import api

routes = [*api.routes]
