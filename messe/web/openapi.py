"""The OpenAPI 3.1 document, generated from the ApiRoutes themselves so it cannot drift."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from starlette.routing import BaseRoute, Mount

from messe import __version__
from messe.web.api import MAX_PAGE, MAX_PER_PAGE, ApiRoute, Operation
from messe.web.errors import STATUS_TITLES

# Starts the part of a description naming the business rules that refuse some valid bodies (422).
RULES_HEADING = "Forretningsregler:"
_CONVERTOR = re.compile(r"{(\w+)(?::(\w+))?}")

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "status"],
    "properties": {
        "error": {"type": "string"},
        "status": {"type": "integer"},
        "fields": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def api_routes(routes: list[BaseRoute], prefix: str = "") -> list[tuple[str, ApiRoute]]:
    found: list[tuple[str, ApiRoute]] = []
    for route in routes:
        if isinstance(route, ApiRoute):
            found.append((prefix + route.path, route))
        elif isinstance(route, Mount):
            found.extend(api_routes(list(route.routes), prefix + route.path))
    return found


# Request text never holds NUL (messe.web.api.read_json refuses it): every free-text field says so.
NO_NUL = "^[^\\u0000]*$"


def _refuse_nul(schema: Any) -> None:
    """Give each string of a request schema without a pattern, format or fixed values ``NO_NUL``."""
    if isinstance(schema, list):
        for item in schema:
            _refuse_nul(item)
    elif isinstance(schema, dict):
        if schema.get("type") == "string" and not {"pattern", "format", "enum", "const"} & schema.keys():
            schema["pattern"] = NO_NUL
        for value in schema.values():
            _refuse_nul(value)


class _Schemas:
    def __init__(self) -> None:
        self.components: dict[str, Any] = {"Error": ERROR_SCHEMA}

    def ref(self, model: type[BaseModel] | dict[str, Any], mode: str) -> dict[str, Any]:
        if isinstance(model, dict):
            return model
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
        if mode == "validation":
            _refuse_nul(schema)
        for name, definition in schema.pop("$defs", {}).items():
            self.components.setdefault(name, definition)
        name = model.__name__
        self.components.setdefault(name, schema)
        return {"$ref": f"#/components/schemas/{name}"}


def _error_response(status: int, page_too: bool) -> dict[str, Any]:
    """Errors are JSON; outside /api/ a browser without a bearer token gets an HTML page instead."""
    content: dict[str, Any] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    if page_too:
        content["text/html"] = {"schema": {"type": "string"}}
    return {"description": STATUS_TITLES.get(status, "Fejl"), "content": content}


def _operation(path: str, method: str, op: Operation, schemas: _Schemas) -> dict[str, Any]:
    parameters = []
    for name, convertor in _CONVERTOR.findall(path):
        schema = {"type": "integer", "minimum": 1} if convertor == "int" else {"type": "string"}
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    for query in op.query:
        parameters.append({"in": "query", "required": False, **query})
    if op.paged:
        parameters += [
            {"name": "page", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
            {"name": "per_page", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}},
        ]
    success: dict[str, Any] = {"description": op.summary}
    if op.response is not None:
        item = schemas.ref(op.response, "serialization")
        schema = item
        if op.paged:
            schema = {
                "type": "object",
                "required": ["items", "page", "per_page", "total"],
                "properties": {
                    "items": {"type": "array", "items": item},
                    "page": {"type": "integer"},
                    "per_page": {"type": "integer"},
                    "total": {"type": "integer"},
                },
            }
        success["content"] = {op.content_type: {"schema": schema}}
    responses: dict[str, Any] = {str(status): success for status in (op.status, *op.also)}
    # A wrong or revoked bearer token is refused on every route, public ones included.
    statuses = set(op.errors) | {401}
    if parameters:
        statuses.add(422 if op.query or op.paged else 404)
    if op.query or op.paged:
        statuses.add(400)  # a NUL character in the query (messe.web.request_limits)
    if any(c == "int" for _, c in _CONVERTOR.findall(path)):
        statuses.add(404)
    if op.body is not None:
        statuses |= {400, 413, 415, 422}
    if op.roles:
        statuses |= {401, 403}
    for status in sorted(statuses):
        responses[str(status)] = _error_response(status, page_too="/api/" not in path)
    operation: dict[str, Any] = {
        "summary": op.summary,
        "operationId": f"{method.lower()}_{re.sub(r'[^a-z0-9]+', '_', path.lower()).strip('_')}",
        "responses": responses,
    }
    if op.tags:
        operation["tags"] = list(op.tags)
    if parameters:
        operation["parameters"] = parameters
    if op.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schemas.ref(op.body, "validation")}},
        }
    description = []
    if op.roles:
        operation["security"] = [{"bearer": []}]
        description.append("Roller: " + ", ".join(op.roles))
    if op.rules:
        description.append(f"{RULES_HEADING} {op.rules}")
    if description:
        operation["description"] = "\n\n".join(description)
    return operation


def openapi_document(routes: list[BaseRoute], event_slug: str, event_name: str) -> dict[str, Any]:
    schemas = _Schemas()
    paths: dict[str, Any] = {}
    for full_path, route in api_routes(routes):
        concrete = full_path.replace("{event}", event_slug)
        openapi_path = _CONVERTOR.sub(lambda m: "{" + m.group(1) + "}", concrete)
        item = paths.setdefault(openapi_path, {})
        for method, op in route.operations.items():
            item[method.lower()] = _operation(concrete, method, op, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": f"messe API – {event_name}", "version": __version__},
        "paths": paths,
        "components": {
            "schemas": schemas.components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
