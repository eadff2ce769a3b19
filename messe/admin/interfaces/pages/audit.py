"""The audit log: who changed what and when, filtered by action, person and kind of record."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from messe.admin.interfaces.paging import paging
from messe.admin.interfaces.view import page
from messe.common.models import AuditEntry
from messe.web.context import current_event

SECTION = "audit"
PER_PAGE = 50
FILTERS = ("action", "actor", "object_type")


async def audit_log(request: Request) -> Response:
    event = await current_event(request)
    entries = AuditEntry.filter(event=event)
    choices = {name: [v for v in await entries.distinct().order_by(name).values_list(name, flat=True) if v]
               for name in FILTERS}
    chosen = {name: request.query_params.get(name, "") for name in FILTERS}
    chosen = {name: value for name, value in chosen.items() if value in choices[name]}
    query = entries.filter(**chosen)
    pages = paging(request, await query.count(), PER_PAGE)
    return await page(request, "admin/audit.html", SECTION, {
        "entries": await query.order_by("-id").offset(pages.offset).limit(PER_PAGE),
        "choices": choices, "chosen": chosen, "paging": pages, "terms": urlencode(chosen)})


routes = [Route("/audit", audit_log, methods=["GET"])]
