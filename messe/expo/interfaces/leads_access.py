"""Who may touch which leads: an exhibitor's staff, their own exhibitor's leads only."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from messe.common.recently_read import RecentlyRead
from messe.expo.domain.leads import leads_of
from messe.expo.models import Exhibitor, Lead
from messe.lookup import Lookup
from messe.people.domain.principals import Principal
from messe.people.models import AccountRole
from messe.web.context import current_event, require_role
from messe.web.errors import ApiError

_EXHIBITOR = Lookup(Exhibitor, "id", "event_id")
_known_exhibitors: RecentlyRead[Exhibitor] = RecentlyRead(Exhibitor, lambda exhibitor: exhibitor.id)  # every scan


async def _exhibitor(exhibitor_id: int, event_id: int) -> Exhibitor | None:
    exhibitor = await _known_exhibitors.read(exhibitor_id, lambda: _EXHIBITOR.get(id=exhibitor_id, event_id=event_id))
    return exhibitor if exhibitor is not None and exhibitor.event_id == event_id else None


async def staff_exhibitor(conn: HTTPConnection) -> tuple[Principal, Exhibitor]:
    """The signed-in exhibitor staffer (or exhibitor token) and their exhibitor; 401/403 otherwise."""
    principal = await require_role(conn, AccountRole.EXHIBITOR)
    event = await current_event(conn)
    exhibitor = await _exhibitor(principal.exhibitor_id, event.id) if principal.exhibitor_id else None
    if exhibitor is None:
        raise ApiError(403, "Din konto hører ikke til en udstiller")
    return principal, exhibitor


async def own_lead(exhibitor: Exhibitor, lead_id: int) -> Lead:
    """One of the exhibitor's leads; another exhibitor's lead does not exist for them (404)."""
    lead = await leads_of(exhibitor.id).get_or_none(id=lead_id)
    if lead is None:
        raise ApiError(404, "Leadet findes ikke")
    return lead
