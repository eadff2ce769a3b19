"""Every programme route under ``/{event}``."""

from starlette.routing import BaseRoute, Route, WebSocketRoute

from messe.programme.interfaces import api, exports, pages
from messe.programme.interfaces.websocket import live_socket

routes: list[BaseRoute] = [
    Route("/", pages.programme_page, methods=["GET"]),
    Route("/programme", pages.programme_page, methods=["GET"]),
    Route("/talks/{id:int}", pages.talk_page, methods=["GET"]),
    Route("/me/schedule", pages.my_schedule_page, methods=["GET"]),
    Route("/changes", pages.changes_page, methods=["GET"]),
    Route("/manifest.webmanifest", pages.manifest, methods=["GET"]),
    Route("/sw.js", pages.service_worker, methods=["GET"]),
    Route("/changes.atom", exports.changes_atom, methods=["GET"]),
    Route("/schedule/export/schedule.xml", exports.schedule_xml, methods=["GET"]),
    Route("/schedule/export/schedule.json", exports.schedule_json, methods=["GET"]),
    Route("/schedule/export/schedule.ics", exports.schedule_ics, methods=["GET"]),
    WebSocketRoute("/ws", live_socket),
    *api.routes,
]
