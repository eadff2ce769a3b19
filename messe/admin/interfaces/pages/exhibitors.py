"""Exhibitors and their staff: list, create, edit; each staff member gets an exhibitor login."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.functions import Count

from messe.admin.domain.logins import add_staff
from messe.admin.interfaces.forms import edit_page
from messe.admin.interfaces.records import record_or_404, record_page
from messe.admin.interfaces.schemas import ExhibitorForm, StaffForm
from messe.admin.interfaces.view import hall_choices, page
from messe.expo.models import Exhibitor, ExhibitorStaff
from messe.web.api import path_id
from messe.web.context import current_event

SECTION = "exhibitors"
NOT_FOUND = "Udstilleren findes ikke"


async def exhibitor_list(request: Request) -> Response:
    event = await current_event(request)
    exhibitors = await Exhibitor.filter(event=event).annotate(staff_count=Count("staff")).order_by("stand")
    return await page(request, "admin/exhibitors.html", SECTION, {"exhibitors": exhibitors})


async def exhibitor_form(request: Request) -> Response:
    event = await current_event(request)
    staff = []
    if "id" in request.path_params:
        staff = await ExhibitorStaff.filter(exhibitor_id=path_id(request), exhibitor__event=event).prefetch_related(
            "account").order_by("name")
    return await record_page(request, Exhibitor, section=SECTION, template="admin/exhibitor_form.html",
                             schema=ExhibitorForm, unique=("stand",), not_found=NOT_FOUND,
                             context={"halls": hall_choices(event), "staff": staff})


async def staff_new(request: Request) -> Response:
    event = await current_event(request)
    exhibitor = await record_or_404(request, Exhibitor, NOT_FOUND)

    async def save(form: StaffForm) -> str:
        staff = await add_staff(event, exhibitor, name=form.name, email=form.email, username=form.username,
                                password=form.password, actor=request.state.principal.label)
        return staff.name

    return await edit_page(request, template="admin/staff_form.html", section=SECTION,
                           context={"exhibitor": exhibitor}, schema=StaffForm, initial={}, save=save,
                           done=f"{SECTION}/{exhibitor.id}")


routes = [
    Route("/exhibitors", exhibitor_list, methods=["GET"]),
    Route("/exhibitors/new", exhibitor_form, methods=["GET", "POST"]),
    Route("/exhibitors/{id:int}", exhibitor_form, methods=["GET", "POST"]),
    Route("/exhibitors/{id:int}/staff/new", staff_new, methods=["GET", "POST"]),
]
