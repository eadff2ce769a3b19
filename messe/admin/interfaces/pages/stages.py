"""Stages: list, create, edit. Saving goes through the programme's own stage functions, so a
renamed stage reaches the published programme (and the phones) at once."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.functions import Count

from messe.admin.interfaces.forms import edit_page
from messe.admin.interfaces.records import record_or_404
from messe.admin.interfaces.schemas import StageForm
from messe.admin.interfaces.view import hall_choices, page
from messe.programme.domain.stages import create_stage, update_stage
from messe.programme.models import Stage
from messe.web.context import current_event

SECTION = "stages"
NOT_FOUND = "Scenen findes ikke"


async def stage_list(request: Request) -> Response:
    event = await current_event(request)
    stages = await Stage.filter(event=event).annotate(talk_count=Count("talks")).order_by("position", "id")
    return await page(request, "admin/stages.html", SECTION, {"stages": stages})


async def stage_form(request: Request) -> Response:
    event = await current_event(request)
    stage = await record_or_404(request, Stage, NOT_FOUND) if "id" in request.path_params else None
    actor = request.state.principal.label

    async def save(form: StageForm) -> str:
        if stage is None:
            return (await create_stage(event.id, form.model_dump(), actor=actor)).name
        saved, _ = await update_stage(event.id, stage.id, form.model_dump(), actor=actor)
        return saved.name

    initial = ({name: getattr(stage, name) for name in StageForm.model_fields} if stage else
               {"capacity": 0, "position": await Stage.filter(event=event).count()})
    return await edit_page(request, template="admin/stage_form.html", section=SECTION,
                           context={"item": stage, "halls": hall_choices(event)}, schema=StageForm, initial=initial,
                           save=save, done=SECTION)


routes = [
    Route("/stages", stage_list, methods=["GET"]),
    Route("/stages/new", stage_form, methods=["GET", "POST"]),
    Route("/stages/{id:int}", stage_form, methods=["GET", "POST"]),
]
