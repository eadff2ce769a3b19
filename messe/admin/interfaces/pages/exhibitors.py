"""Exhibitors and their staff: list, create, edit; each staff member gets an exhibitor login."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.functions import Count

from messe.admin.interfaces.forms import edit_page
from messe.admin.interfaces.records import record_or_404, record_page
from messe.admin.interfaces.schemas import ExhibitorForm, StaffForm
from messe.admin.interfaces.view import hall_choices, page
from messe.common.models import Event
from messe.expo.domain.stands import by_stand
from messe.expo.models import Exhibitor, ExhibitorStaff
from messe.people.domain.logins import add_staff
from messe.people.models import Account
from messe.web.api import path_id
from messe.web.context import current_event

SECTION = "exhibitors"
NOT_FOUND = "Udstilleren findes ikke"


@dataclass(frozen=True)
class Login:
    """An exhibitor login made without a staff record (``messe create-user``, the demo, the
    accounts page): it belongs to the exhibitor all the same."""

    account: Account

    @property
    def name(self) -> str:
        return self.account.name or self.account.username

    email = ""


async def _logins_without_staff(event: Event, exhibitor_id: int | None = None) -> list[Account]:
    query = Account.filter(event=event, exhibitor_id__isnull=False)
    if exhibitor_id is not None:
        query = query.filter(exhibitor_id=exhibitor_id)
    with_staff = set(await ExhibitorStaff.filter(exhibitor__event=event, account_id__isnull=False)
                     .values_list("account_id", flat=True))
    return [a for a in await query.order_by("name", "username") if a.id not in with_staff]


async def exhibitor_list(request: Request) -> Response:
    event = await current_event(request)
    exhibitors = by_stand(await Exhibitor.filter(event=event).annotate(staff_count=Count("staff")))
    logins = Counter(a.exhibitor_id for a in await _logins_without_staff(event))
    for exhibitor in exhibitors:
        exhibitor.staff_count += logins[exhibitor.id]
    return await page(request, "admin/exhibitors.html", SECTION, {"exhibitors": exhibitors})


async def exhibitor_form(request: Request) -> Response:
    event = await current_event(request)
    staff: list[ExhibitorStaff | Login] = []
    if "id" in request.path_params:
        exhibitor_id = path_id(request)
        staff = await ExhibitorStaff.filter(exhibitor_id=exhibitor_id, exhibitor__event=event).prefetch_related(
            "account").order_by("name")
        staff += [Login(a) for a in await _logins_without_staff(event, exhibitor_id)]
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
