"""The audit log: who did what and when, as sentences in the organiser's language, with before and
after values and a link to the record; filtered by person, kind and time, newest first, in pages.

The sentences come from :mod:`messe.common.audit_log`; this page only chooses the entries and
links the records the admin has a page for.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.models import Model

from messe.admin.interfaces.paging import paging
from messe.admin.interfaces.view import page
from messe.common.audit_log import describe, kind_choices
from messe.common.models import AuditEntry
from messe.expo.models import Exhibitor
from messe.people.models import Attendee, Organisation
from messe.programme.models import Speaker, Stage, Talk, Track
from messe.web.context import current_event
from messe.web.templates import language_of

SECTION = "audit"
PER_PAGE = 50
# The records with an admin page: their model, the page's path and the link's text (Danish).
TARGETS: dict[str, tuple[type[Model], str, str]] = {
    "Talk": (Talk, "programme/talks/{id}", "Se foredraget"),
    "Attendee": (Attendee, "attendees/{id}", "Se deltageren"),
    "Exhibitor": (Exhibitor, "exhibitors/{id}", "Se udstilleren"),
    "Stage": (Stage, "stages/{id}", "Se scenen"),
    "Track": (Track, "tracks/{id}", "Se sporet"),
    "Speaker": (Speaker, "speakers/{id}", "Se taleren"),
    "Organisation": (Organisation, "organisations/{id}", "Se organisationen"),
}


def _moment(value: str, tz: str) -> datetime | None:
    """A ``datetime-local`` field's value (the fair's local time), or None when it is not one."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(tz))


async def _existing(event_id: int, entries: list[AuditEntry]) -> set[tuple[str, str]]:
    """The (type, id) of the records these entries name that still have a page."""
    found: set[tuple[str, str]] = set()
    for object_type, (model, _path, _text) in TARGETS.items():
        ids = {int(e.object_id) for e in entries if e.object_type == object_type and e.object_id.isdigit()}
        if ids:
            query = model.filter(event_id=event_id, id__in=ids)
            if model is Attendee:
                query = query.filter(erased_at=None)
            found |= {(object_type, str(i)) for i in await query.values_list("id", flat=True)}
    return found


async def audit_log(request: Request) -> Response:
    event = await current_event(request)
    language = language_of(request)
    entries = AuditEntry.filter(event=event)
    actors = [a for a in await entries.distinct().order_by("actor").values_list("actor", flat=True) if a]
    kinds = kind_choices([k for k in await entries.distinct().order_by("kind").values_list("kind", flat=True) if k],
                         language)
    params = request.query_params
    chosen = {"actor": params.get("actor", ""), "kind": params.get("kind", ""),
              "from": params.get("from", ""), "to": params.get("to", "")}
    query = entries
    if chosen["actor"] in actors:
        query = query.filter(actor=chosen["actor"])
    else:
        chosen["actor"] = ""
    if chosen["kind"] in {k for k, _label in kinds}:
        query = query.filter(kind=chosen["kind"])
    else:
        chosen["kind"] = ""
    since, until = _moment(chosen["from"], event.timezone), _moment(chosen["to"], event.timezone)
    if since is not None:
        query = query.filter(created_at__gte=since)
    if until is not None:
        query = query.filter(created_at__lte=until)
    bad = {name for name, moment in (("from", since), ("to", until)) if chosen[name] and moment is None}
    chosen = {name: value for name, value in chosen.items() if value and name not in bad}
    pages = paging(request, await query.count(), PER_PAGE)
    shown = await query.order_by("-id").offset(pages.offset).limit(PER_PAGE)
    existing = await _existing(event.id, shown)
    lines = []
    for entry in shown:
        line = describe(action=entry.action, actor=entry.actor, actor_role=entry.actor_role, detail=entry.detail,
                        object_type=entry.object_type, object_id=entry.object_id, kind=entry.kind,
                        language=language, timezone=event.timezone)
        link = None
        if line.target in existing:
            _model, path, text = TARGETS[line.target[0]]
            link = (f"/{event.slug}/admin/{path.format(id=line.target[1])}", text)
        lines.append((entry, line, link))
    return await page(request, "admin/audit.html", SECTION, {
        "lines": lines, "actors": actors, "kinds": kinds, "chosen": chosen, "bad": bad,
        "paging": pages, "terms": urlencode(chosen)})


routes = [Route("/audit", audit_log, methods=["GET"])]
