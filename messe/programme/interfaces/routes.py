"""Every programme route under ``/{event}`` (the live socket, ``/{event}/ws``, is served around
them: messe.programme.interfaces.websocket)."""

from starlette.routing import BaseRoute, Route

from messe.programme.interfaces import api, exports, pages

routes: list[BaseRoute] = [
    Route("/", pages.programme_page, methods=["GET"]),
    Route("/programme", pages.programme_page, methods=["GET"]),
    Route("/embed", pages.embed_page, methods=["GET"]),
    Route("/talks/{id:int}", pages.talk_page, methods=["GET"]),
    Route("/me/schedule", pages.my_schedule_page, methods=["GET"]),
    Route("/changes", pages.changes_page, methods=["GET"]),
    Route("/manifest.webmanifest", pages.manifest, methods=["GET"]),
    Route("/sw.js", pages.service_worker, methods=["GET"]),
    Route("/changes.atom", exports.changes_atom, methods=["GET"]),
    Route("/schedule/export/schedule.xml", exports.schedule_xml, methods=["GET"]),
    Route("/schedule/export/schedule.json", exports.schedule_json, methods=["GET"]),
    Route("/schedule/export/schedule.ics", exports.schedule_ics, methods=["GET"]),
    *api.routes,
]
