"""The OpenAPI document describes every API route, and only real ones."""

from __future__ import annotations

from openapi_spec_validator import validate

from messe.web.openapi import api_routes


async def test_document_is_valid_and_lists_every_api_route(client, fair, app):
    response = await client.get("/messe13/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    documented = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    served = set()
    for path, route in api_routes(app.routes):
        concrete = path.replace("{event}", "messe13").replace(":int}", "}")
        for method in route.methods - {"HEAD"}:
            served.add((concrete, method))
    assert documented == served
    assert ("/messe13/api/attendees", "POST") in documented


def test_every_api_path_is_an_api_route(app):
    """A plain Route under /api/ would be missing from the document."""
    from starlette.routing import Mount, Route

    def plain_api_routes(routes, prefix=""):
        for route in routes:
            if isinstance(route, Mount):
                yield from plain_api_routes(route.routes, prefix + route.path)
            elif isinstance(route, Route) and "/api/" in prefix + route.path \
                    and not hasattr(route, "operations") and not route.path.endswith("openapi.json"):
                yield prefix + route.path

    assert list(plain_api_routes(app.routes)) == []
