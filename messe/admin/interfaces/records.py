"""The create/edit page of a simple event record (track, speaker, organisation, exhibitor)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from tortoise.models import Model

from messe.admin.interfaces.forms import edit_page
from messe.common.records import save_record
from messe.web.api import path_id
from messe.web.context import current_event
from messe.web.errors import ApiError


async def record_or_404(request: Request, model: type[Model], not_found: str) -> Any:
    event = await current_event(request)
    item = await model.get_or_none(id=path_id(request), event=event)
    if item is None:
        raise ApiError(404, not_found)
    return item


async def record_page(request: Request, model: type[Model], *, section: str, template: str,
                      schema: type[BaseModel], unique: tuple[str, ...], not_found: str,
                      defaults: dict[str, Any] | None = None, context: dict[str, Any] | None = None) -> Response:
    """``/{section}/new`` creates a record, ``/{section}/{id}`` edits one."""
    event = await current_event(request)
    item = await record_or_404(request, model, not_found) if "id" in request.path_params else None

    async def save(form: BaseModel) -> str:
        saved = await save_record(model, event, item.id if item else None, form.model_dump(), unique=unique,
                                  actor=request.state.principal.label)
        return saved.name

    initial = {name: getattr(item, name) for name in schema.model_fields} if item else dict(defaults or {})
    return await edit_page(request, template=template, section=section, context={"item": item, **(context or {})},
                           schema=schema, initial=initial, save=save, done=section)
