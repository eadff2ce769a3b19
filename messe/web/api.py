"""Helpers every JSON endpoint uses: reading a body, validating it, paging lists, bounding ids."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, GetJsonSchemaHandler, ValidationError
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from starlette.requests import Request
from starlette.routing import Route
from tortoise.queryset import QuerySet

from messe.web.errors import ApiError

Body = TypeVar("Body", bound=BaseModel)
T = TypeVar("T")

MAX_ID = 2**31 - 1
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
MAX_SEARCH = 200
SEARCH_PARAMETER = {"name": "q", "schema": {"type": "string", "maxLength": MAX_SEARCH}}
DEFAULT_PER_PAGE = 50
NUL_MESSAGE = "Må ikke indeholde tegnet NUL (\\u0000)"

# Danish wording for pydantic's error types; English comes from the translation catalogue.
_FIELD_MESSAGES = {
    "missing": "Skal udfyldes",
    "string_too_short": "Skal være mindst {min_length} tegn",
    "string_too_long": "Må højst være {max_length} tegn",
    "string_type": "Skal være tekst",
    "int_parsing": "Skal være et helt tal",
    "int_type": "Skal være et helt tal",
    "int_from_float": "Skal være et helt tal",
    "bool_type": "Skal være true eller false",
    "bool_parsing": "Skal være true eller false",
    "greater_than_equal": "Skal være mindst {ge}",
    "less_than_equal": "Må højst være {le}",
    "greater_than": "Skal være større end {gt}",
    "less_than": "Skal være mindre end {lt}",
    "datetime_parsing": "Skal være et tidspunkt som 2026-11-27T14:30:00+01:00",
    "datetime_type": "Skal være et tidspunkt som 2026-11-27T14:30:00+01:00",
    "datetime_from_date_parsing": "Skal være et tidspunkt som 2026-11-27T14:30:00+01:00",
    "timezone_aware": "Tidspunktet skal have en tidszone, fx +01:00",
    "literal_error": "Skal være en af: {expected}",
    "enum": "Skal være en af: {expected}",
    "extra_forbidden": "Feltet kendes ikke",
    "list_type": "Skal være en liste",
    "dict_type": "Skal være et objekt",
    "model_type": "Skal være et objekt",
    "value_error": "Ugyldig værdi",
    "string_pattern_mismatch": "Har ikke det rigtige format",
    "too_long": "Listen er for lang (højst {max_length})",
    "url_parsing": "Skal være en webadresse",
    "url_scheme": "Skal være en webadresse, der begynder med http:// eller https://",
}


MAX_FIELD_ERRORS = 10  # a 422 names at most this many fields: enough to fix a form, cheap to build
MAX_FIELD_NAME = 100  # characters of a field name quoted back in an error
TOO_MANY_ERRORS = "Ugyldige oplysninger ({count} fejl; de første {shown} er vist)"
UNKNOWN_FIELDS = "Ukendte felter i forespørgslen: {count}"


def _field_name(loc: Any) -> str:
    name = ".".join(str(p) for p in loc) or "body"
    return name if len(name) <= MAX_FIELD_NAME else name[:MAX_FIELD_NAME] + "…"


def field_errors(exc: ValidationError, limit: int = MAX_FIELD_ERRORS) -> list[dict[str, Any]]:
    """The first ``limit`` of the validation errors, each with its field and a Danish message."""
    errors = []
    for err in exc.errors(include_url=False, include_input=False)[:limit]:
        ctx = {k: (str(v) if not isinstance(v, (int, float)) else v) for k, v in (err.get("ctx") or {}).items()}
        template = _FIELD_MESSAGES.get(err["type"])
        if err["type"] == "value_error" and "error" in (err.get("ctx") or {}):
            template, ctx = str(err["ctx"]["error"]), {}
        try:
            (template or "").format(**ctx)
        except (KeyError, IndexError):
            template = None
        errors.append({
            "field": _field_name(err["loc"]),
            "message": template or "Ugyldig værdi",
            "values": ctx if template else {},
        })
    return errors


def _unknown_keys(model: type[BaseModel], data: dict[str, Any]) -> list[str]:
    """The keys of ``data`` that ``model`` forbids as unknown (none when it ignores extras)."""
    if model.model_config.get("extra") != "forbid":
        return []
    known = set(model.model_fields)
    known.update(f.alias for f in model.model_fields.values() if f.alias)
    return [key for key in data if key not in known]


def _refuse_unknown_keys(model: type[BaseModel], data: Any) -> None:
    unknown = _unknown_keys(model, data) if isinstance(data, dict) else []
    if unknown:
        raise ApiError(422, UNKNOWN_FIELDS, values={"count": len(unknown)}, fields=[
            {"field": _field_name([key]), "message": _FIELD_MESSAGES["extra_forbidden"]}
            for key in unknown[:MAX_FIELD_ERRORS]])


class PatchBody(BaseModel):
    """A partial update: a field left out stays as it is; ``null`` only where ``NULLABLE`` says it
    means "none". The document says so too: only the ``NULLABLE`` fields admit ``null`` there."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    def nulls(self) -> list[str]:
        """Fields sent as ``null`` that cannot be empty."""
        return sorted(k for k in self.model_fields_set if getattr(self, k) is None and k not in self.NULLABLE)

    def refuse_nulls(self) -> None:
        if nulls := self.nulls():
            raise ApiError(422, "Ugyldige oplysninger", fields=[{"field": n, "message": _FIELD_MESSAGES["missing"]}
                                                                for n in nulls])

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler.resolve_ref_schema(handler(core_schema))
        for name, prop in schema.get("properties", {}).items():
            if name in cls.NULLABLE or "anyOf" not in prop:
                continue
            kept = [option for option in prop.pop("anyOf") if option.get("type") != "null"]
            prop.update(kept[0] if len(kept) == 1 else {"anyOf": kept})
            if prop.get("default", "") is None:
                del prop["default"]
        return schema


def validate(model: type[Body], data: Any, *, strict: bool = False) -> Body:
    """``data`` as ``model``, or 422. Unknown keys are refused before anything else is looked at,
    and the answer names at most ``MAX_FIELD_ERRORS`` fields, so a body of thousands of bad keys
    costs no more to refuse than one."""
    _refuse_unknown_keys(model, data)
    try:
        if strict:  # JSON types as the document states them: ``0`` is not ``false``, ``false`` not ``0``
            return model.model_validate_json(json.dumps(data), strict=True)  # (ISO dates still read)
        return model.model_validate(data)
    except ValidationError as exc:
        count = exc.error_count()
        message, values = ("Ugyldige oplysninger", {}) if count <= MAX_FIELD_ERRORS else (
            TOO_MANY_ERRORS, {"count": count, "shown": MAX_FIELD_ERRORS})
        raise ApiError(422, message, values=values, fields=field_errors(exc)) from None


async def read_json(request: Request, model: type[Body]) -> Body:
    content_type = request.headers.get("content-type", "")
    if content_type and not content_type.startswith("application/json"):
        raise ApiError(415, "Send JSON (Content-Type: application/json)")
    raw = await request.body()
    try:
        data = json.loads(raw.decode("utf-8"))
        with_nul = list(_paths_with_nul(data))
    except UnicodeDecodeError:
        raise ApiError(400, "Forespørgslen er ikke gyldig UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ApiError(400, "Ugyldig JSON i linje {line}, kolonne {column}",
                       values={"line": exc.lineno, "column": exc.colno}) from None
    except RecursionError:
        raise ApiError(400, "JSON-dokumentet er for dybt indlejret") from None
    if not isinstance(data, dict):
        raise ApiError(422, "Ugyldige oplysninger", fields=[{"field": "body", "message": "Skal være et objekt"}])
    _refuse_unknown_keys(model, data)
    if with_nul:
        raise ApiError(422, "Ugyldige oplysninger", fields=[{"field": _field_name([f]), "message": NUL_MESSAGE}
                                                            for f in with_nul[:MAX_FIELD_ERRORS]])
    return validate(model, data, strict=True)


def _paths_with_nul(value: Any, path: str = "") -> Iterator[str]:
    """Where parsed JSON holds text with a NUL character, which PostgreSQL can neither store nor
    compare (field paths as in ``field_errors``)."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "body"
    elif isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from _paths_with_nul(item, f"{path}.{key}" if path else str(key))


def path_id(request: Request, name: str = "id") -> int:
    """An integer id from the path, or 404: ids outside the database's range simply do not exist."""
    raw = request.path_params.get(name)
    value = raw if isinstance(raw, int) else None
    if value is None:
        try:
            value = int(str(raw))
        except ValueError:
            raise ApiError(404) from None
    if not 0 < value <= MAX_ID:
        raise ApiError(404)
    return value


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)  # an empty value is no number either: the document says integer
    except ValueError:
        raise ApiError(422, "Ugyldige oplysninger",
                       fields=[{"field": name, "message": "Skal være et helt tal"}]) from None
    if not low <= value <= high:
        raise ApiError(422, "Ugyldige oplysninger", fields=[{
            "field": name, "message": "Skal være mellem {low} og {high}", "values": {"low": low, "high": high}}])
    return value


def search_text(request: Request) -> str:
    """The ``q`` search of a listing; longer than the document's ``maxLength`` is a 422."""
    text = request.query_params.get("q", "").strip()
    if len(text) > MAX_SEARCH:
        raise ApiError(422, "Ugyldige oplysninger", fields=[{
            "field": "q", "message": "Højst {max} tegn", "values": {"max": MAX_SEARCH}}])
    return text


def _page(request: Request) -> tuple[int, int]:
    return (_int_param(request, "page", 1, 1, MAX_PAGE),
            _int_param(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE))


async def paginate(request: Request, queryset: QuerySet) -> tuple[list[Any], dict[str, int]]:
    page, per_page = _page(request)
    total = await queryset.count()
    items = await queryset.offset((page - 1) * per_page).limit(per_page)
    return items, {"page": page, "per_page": per_page, "total": total}


def page_of(request: Request, items: Sequence[T]) -> tuple[list[T], dict[str, int]]:
    """The page of ``items`` (already in memory) that the request asks for, as :func:`paginate`."""
    page, per_page = _page(request)
    return list(items[(page - 1) * per_page:page * per_page]), {"page": page, "per_page": per_page,
                                                                "total": len(items)}


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says about one method of an API route."""

    summary: str
    roles: tuple[str, ...] = ()  # empty: anyone may call it
    body: type[BaseModel] | None = None
    response: type[BaseModel] | dict[str, Any] | None = None
    status: int = 200
    also: tuple[int, ...] = ()  # further success statuses, e.g. 200 for a repeated create
    paged: bool = False
    query: tuple[dict[str, Any], ...] = ()
    errors: tuple[int, ...] = ()
    rules: str = ""  # business rules a valid body can still break (422), e.g. uniqueness
    content_type: str = "application/json"
    tags: tuple[str, ...] = field(default_factory=tuple)


class ApiRoute(Route):
    """A Starlette route that also carries its OpenAPI description, one Operation per method."""

    def __init__(self, path: str, endpoint: Any, operations: dict[str, Operation], **kwargs: Any) -> None:
        super().__init__(path, endpoint, methods=list(operations), **kwargs)
        self.operations = operations
