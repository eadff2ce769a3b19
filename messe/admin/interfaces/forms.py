"""Admin forms: reading a submitted form into a pydantic model, turning every problem into a
translated message on its field, and the usual show-check-save-redirect flow of an edit page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from messe.admin.interfaces.view import flash, page, redirect
from messe.common.refusal import Refusal, RefusalKind
from messe.web.api import field_errors
from messe.web.forms import read_form
from messe.web.templates import translate

FormErrors = dict[str, str]
# The refusals the organiser corrects in the form; others (the record is gone) get the error page.
CORRECTABLE = (RefusalKind.INVALID, RefusalKind.CONFLICT)
GENERAL = "_form"  # the key for a problem that belongs to no single field
REQUIRED = "Skal udfyldes"


def form_values(form: Mapping[str, Any], schema: type[BaseModel]) -> dict[str, Any]:
    """The schema's fields as submitted (a form, or a query string); a checkbox left unticked is
    simply absent."""
    return {name: form.get(name) for name in schema.model_fields if name in form}


def validate(request: Request, schema: type[BaseModel], data: dict[str, Any]) -> tuple[Any, FormErrors]:
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        errors: FormErrors = {}
        for problem in field_errors(exc, limit=exc.error_count()):  # only the form's own fields
            message, values = problem["message"], problem["values"]
            if values.get("min_length") == 1:  # a required text field left empty
                message, values = REQUIRED, {}
            errors.setdefault(problem["field"], translate(request, message, **values))
        return None, errors


def problems(request: Request, exc: Refusal) -> FormErrors:
    """The messages of a refusal the organiser can correct, by field; any other refusal is
    raised on, to be answered with its error page."""
    if exc.kind not in CORRECTABLE:
        raise exc
    errors: FormErrors = {}
    for problem in exc.problems:
        errors.setdefault(problem.field or GENERAL, translate(request, problem.template, **problem.values))
    return errors


async def edit_page(request: Request, *, template: str, section: str, context: dict[str, Any],
                    schema: type[BaseModel], initial: dict[str, Any], save: Callable[[Any], Awaitable[str]],
                    done: str) -> Response:
    """Show the form (GET); on POST check it, ``save`` the values (which returns the record's name
    for the notice) and go to ``done``, or show the form again with every problem (422)."""
    if request.method == "POST":
        data = form_values(await read_form(request), schema)
        values, errors = validate(request, schema, data)
        if values is not None:
            try:
                name = await save(values)
            except Refusal as exc:
                errors = problems(request, exc)
            else:
                flash(request, "'{name}' er gemt", name=name)
                return await redirect(request, done)
        return await page(request, template, section, {**context, "values": {**initial, **data}, "errors": errors},
                          status_code=422)
    return await page(request, template, section, {**context, "values": initial, "errors": {}})
