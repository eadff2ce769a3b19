"""Serving the OpenAPI document of an event's API."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from messe.web.context import current_event
from messe.web.openapi import openapi_document


async def openapi_json(request: Request) -> Response:
    event = await current_event(request)
    return JSONResponse(openapi_document(request.app.routes, event.slug, event.name))


routes = [Route("/api/openapi.json", openapi_json, methods=["GET"])]
