"""Every write leaves exactly one audit entry, whichever route made it.

The walk sends one valid request to every unsafe route of the live route table, the way its user
would (an organiser's form or token, door staff, an exhibitor's staff, an attendee), and counts the
audit log's entries before and after. A change of an existing record names its values before and
after. Routes that only touch the caller's own session or preferences are listed apart, each with
its reason; a new write route that is in neither list fails the walk.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
import pytest
from starlette.routing import BaseRoute, Mount, Route

from messe.common.models import AuditEntry, Event
from messe.expo.models import Exhibitor, Lead
from messe.people.domain.accounts import create_account
from messe.people.models import Account, ApiToken, Attendee
from messe.programme.models import Speaker, Stage, Talk, TalkState, Track
from tests.admin.conftest import PASSWORD, csrf_of, sign_in
from tests.admin.test_badges_announcements_dashboard import finished
from tests.conftest import bearer, make_token
from tests.people.test_link_request import inbox  # noqa: F401 (fixture: mail goes to a real SMTP server)
from tests.scanning.conftest import badge_payload

EVENT = "/messe13"

# The caller's own session, preferences and subscriptions: nobody else's data changes.
NOT_AUDITED = {
    ("POST", "/language"): "the language cookie of this browser",
    ("POST", "/{event}/login"): "signs this browser in (failures are rate limited, not logged)",
    ("POST", "/{event}/logout"): "ends this browser's own session",
    ("POST", "/{event}/logout/everywhere"): "ends the attendee's own sessions",
    ("POST", "/{event}/link"): "asks for one's own link by mail; answered alike for every address",
    ("POST", "/{event}/api/me/stars"): "the attendee's own stars (synced from the phone)",
    ("PUT", "/{event}/api/me/stars/{talk_id:int}"): "the attendee's own star",
    ("DELETE", "/{event}/api/me/stars/{talk_id:int}"): "the attendee's own star",
    ("POST", "/{event}/api/me/push"): "the attendee's own browser subscription",
    ("DELETE", "/{event}/api/me/push"): "the attendee's own browser subscription",
    ("POST", "/{event}/api/push/renewal"): "a browser's own subscription, replaced by that browser",
    ("POST", "/{event}/admin/programme/talks/{id:int}/preview"): "shows the impact; writes nothing",
}


def write_routes(routes: list[BaseRoute], prefix: str = "") -> set[tuple[str, str]]:
    found = set()
    for route in routes:
        if isinstance(route, Mount):
            found |= write_routes(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            found |= {(method, prefix + route.path) for method in route.methods or ()
                      if method not in ("GET", "HEAD", "OPTIONS")}
    return found


@dataclass
class Fair:
    event: Event
    admin: httpx.AsyncClient  # signed in as the organiser, with the session's CSRF token
    csrf: str
    tokens: dict[str, str]  # role: bearer token
    door_staff: httpx.AsyncClient | None = None  # signed in at the door
    exhibitor_staff: httpx.AsyncClient | None = None  # signed in at the first stand
    attendee: httpx.AsyncClient | None = None  # signed in by a personal link

    def api(self, role: str = "organiser") -> dict[str, str]:
        return bearer(self.tokens[role])

    async def form(self, path: str, data: dict[str, object]) -> httpx.Response:
        return await self.admin.post(f"{EVENT}/{path}", data={"csrf_token": self.csrf, **data})


Step = Callable[[Fair], Awaitable[httpx.Response]]


async def _talk(fair: Fair, **filters) -> Talk:
    return await Talk.filter(event=fair.event, **filters).order_by("id").first()


async def _visitor(fair: Fair, index: int = 0) -> Attendee:
    return await Attendee.filter(event=fair.event).select_related("organisation").order_by("id").offset(index).first()


async def api_talk_create(fair):
    return await fair.admin.post(f"{EVENT}/api/talks", headers=fair.api(), json={
        "title": "Walk-talk", "starts_at": "2026-11-27T16:20:00+01:00", "ends_at": "2026-11-27T16:29:00+01:00",
        "draft": True})


async def api_talk_patch(fair):
    talk = await _talk(fair, title="Walk-talk")
    return await fair.admin.patch(f"{EVENT}/api/talks/{talk.id}", headers=fair.api(),
                                  json={"title": "Walk-talk 2", "draft": True})


async def api_talk_delete(fair):
    talk = await _talk(fair, title="Walk-talk 2")
    return await fair.admin.delete(f"{EVENT}/api/talks/{talk.id}", headers=fair.api())


async def api_stage_create(fair):
    return await fair.admin.post(f"{EVENT}/api/stages", headers=fair.api(), json={"code": "walk", "name": "Gangen"})


async def api_stage_patch(fair):
    stage = await Stage.get(event=fair.event, code="walk")
    return await fair.admin.patch(f"{EVENT}/api/stages/{stage.id}", headers=fair.api(), json={"capacity": 40})


async def api_stage_delete(fair):
    stage = await Stage.get(event=fair.event, code="walk")
    return await fair.admin.delete(f"{EVENT}/api/stages/{stage.id}", headers=fair.api())


async def api_announce(fair):
    return await fair.admin.post(f"{EVENT}/api/announcements", headers=fair.api(), json={"title": "Kaffe"})


async def api_publish(fair):
    return await fair.admin.post(f"{EVENT}/api/publish", headers=fair.api(), json={"version": "walk-1"})


async def api_attendee_create(fair):
    return await fair.admin.post(f"{EVENT}/api/attendees", headers=fair.api(), json={
        "name": "Åse Gang", "email": "aase.gang@example.dk"})


async def api_attendee_patch(fair):
    person = await Attendee.get(event=fair.event, name="Åse Gang")
    return await fair.admin.patch(f"{EVENT}/api/attendees/{person.id}", headers=fair.api(),
                                  json={"job_title": "Gænger"})


async def api_attendee_erase(fair):
    person = await Attendee.get(event=fair.event, name="Åse Gang")
    return await fair.admin.post(f"{EVENT}/api/attendees/{person.id}/erase", headers=fair.api())


async def api_attendee_delete(fair):
    person = await _visitor(fair, 30)
    return await fair.admin.delete(f"{EVENT}/api/attendees/{person.id}", headers=fair.api())


async def api_exhibitor_create(fair):
    return await fair.admin.post(f"{EVENT}/api/exhibitors", headers=fair.api(), json={"name": "Gang A/S",
                                                                                       "stand": "Z9"})


async def api_exhibitor_patch(fair):
    exhibitor = await Exhibitor.get(event=fair.event, stand="Z9")
    return await fair.admin.patch(f"{EVENT}/api/exhibitors/{exhibitor.id}", headers=fair.api(),
                                  json={"description": "Vi går"})


async def api_exhibitor_delete(fair):
    exhibitor = await Exhibitor.get(event=fair.event, stand="Z9")
    return await fair.admin.delete(f"{EVENT}/api/exhibitors/{exhibitor.id}", headers=fair.api())


async def api_badge_print(fair):
    person = await _visitor(fair, 1)
    return await fair.admin.post(f"{EVENT}/api/badges/{person.id}/print", headers=fair.api(), json={})


async def api_checkin(fair):
    person = await _visitor(fair, 2)
    return await fair.admin.post(f"{EVENT}/api/checkins", headers=fair.api("door"), json={
        "payload": badge_payload(person), "client_id": "walk-door-0001"})


async def api_lead(fair):
    person = await _visitor(fair, 3)
    return await fair.admin.post(f"{EVENT}/api/leads", headers=fair.api("exhibitor"), json={
        "payload": badge_payload(person), "client_id": "walk-lead-0001"})


async def api_lead_patch(fair):
    lead = await Lead.filter(client_id="walk-lead-0001").first()
    return await fair.admin.patch(f"{EVENT}/api/leads/{lead.id}", headers=fair.api("exhibitor"),
                                  json={"notes": "Ringer tilbage", "rating": 4})


async def lead_page(fair):
    lead = await Lead.filter(client_id="walk-lead-0001").first()
    staff = fair.exhibitor_staff
    token = csrf_of((await staff.get(f"{EVENT}/leads/{lead.id}")).text)
    return await staff.post(f"{EVENT}/leads/{lead.id}", data={"csrf_token": token, "notes": "Ringer fredag",
                                                              "rating": "5"})


async def walk_in(fair):
    door = fair.door_staff
    token = csrf_of((await door.get(f"{EVENT}/checkin/")).text)
    return await door.post(f"{EVENT}/checkin/walk-in", data={
        "csrf_token": token, "name": "Bodil Indgang", "organisation": "Gangkommune", "email": "bodil@example.dk",
        "client_id": "walk-in-0000001"})


async def me_erase(fair):
    attendee = fair.attendee
    token = csrf_of((await attendee.get(f"{EVENT}/me/data")).text)
    return await attendee.post(f"{EVENT}/me/erase", data={"csrf_token": token, "confirm": "yes"})


async def _attendee_csrf(fair) -> dict[str, str]:
    page = await fair.attendee.get(f"{EVENT}/exhibitors")
    return {"X-CSRF-Token": re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)}


async def stand_save(fair):
    exhibitor = await Exhibitor.filter(event=fair.event).order_by("stand").first()
    return await fair.attendee.put(f"{EVENT}/api/me/stands/{exhibitor.id}", headers=await _attendee_csrf(fair))


async def stands_merge(fair):
    exhibitors = await Exhibitor.filter(event=fair.event).order_by("stand").limit(3)
    return await fair.attendee.post(f"{EVENT}/api/me/stands", headers=await _attendee_csrf(fair),
                                    json={"exhibitor_ids": [e.id for e in exhibitors]})


async def stand_remove(fair):
    exhibitor = await Exhibitor.filter(event=fair.event).order_by("stand").first()
    return await fair.attendee.delete(f"{EVENT}/api/me/stands/{exhibitor.id}", headers=await _attendee_csrf(fair))


async def admin_stage_new(fair):
    return await fair.form("admin/stages/new", {"code": "walk2", "name": "Trappen", "capacity": "30"})


async def admin_stage_edit(fair):
    stage = await Stage.get(event=fair.event, code="walk2")
    return await fair.form(f"admin/stages/{stage.id}", {"code": "walk2", "name": "Trappen", "capacity": "35"})


async def admin_track_new(fair):
    return await fair.form("admin/tracks/new", {"code": "walk", "name": "Gang", "color": "#123456"})


async def admin_track_edit(fair):
    track = await Track.get(event=fair.event, code="walk")
    return await fair.form(f"admin/tracks/{track.id}", {"code": "walk", "name": "Gang", "color": "#654321"})


async def admin_speaker_new(fair):
    return await fair.form("admin/speakers/new", {"code": "sp-walk", "name": "Søren Gang"})


async def admin_speaker_edit(fair):
    speaker = await Speaker.get(event=fair.event, code="sp-walk")
    return await fair.form(f"admin/speakers/{speaker.id}", {"code": "sp-walk", "name": "Søren Gang",
                                                            "job_title": "Gænger"})


async def admin_organisation_new(fair):
    return await fair.form("admin/organisations/new", {"name": "Gang Kommune", "kind": "kommune"})


async def admin_organisation_edit(fair):
    from messe.people.models import Organisation

    organisation = await Organisation.get(event=fair.event, name="Gang Kommune")
    return await fair.form(f"admin/organisations/{organisation.id}", {"name": "Gang Kommune", "kind": "region"})


async def admin_exhibitor_new(fair):
    return await fair.form("admin/exhibitors/new", {"name": "Trappe ApS", "stand": "Z8"})


async def admin_exhibitor_edit(fair):
    exhibitor = await Exhibitor.get(event=fair.event, stand="Z8")
    return await fair.form(f"admin/exhibitors/{exhibitor.id}", {"name": "Trappe ApS", "stand": "Z8",
                                                                "description": "Op og ned"})


async def admin_staff_new(fair):
    exhibitor = await Exhibitor.get(event=fair.event, stand="Z8")
    return await fair.form(f"admin/exhibitors/{exhibitor.id}/staff/new", {
        "username": "trappe-1", "password": PASSWORD, "name": "Trine Trappe"})


async def admin_account_new(fair):
    return await fair.form("admin/accounts/new", {"username": "doer-walk", "password": PASSWORD, "role": "door"})


async def _account(fair, username: str) -> Account:
    return await Account.get(event=fair.event, username=username)


async def admin_account_active(fair):
    account = await _account(fair, "doer-walk")
    return await fair.form(f"admin/accounts/{account.id}/active", {"active": "0"})


async def admin_account_password(fair):
    account = await _account(fair, "doer-walk")
    return await fair.form(f"admin/accounts/{account.id}/password", {"password": PASSWORD + "-2"})


async def admin_account_sessions(fair):
    account = await _account(fair, "doer-walk")
    return await fair.form(f"admin/accounts/{account.id}/sessions/end", {})


async def admin_token_new(fair):
    return await fair.form("admin/tokens", {"name": "Gangens token", "role": "door"})


async def admin_token_revoke(fair):
    token = await ApiToken.get(event=fair.event, name="Gangens token")
    return await fair.form(f"admin/tokens/{token.id}/revoke", {})


async def admin_announce(fair):
    return await fair.form("admin/announcements", {"title": "Frokost", "level": "info"})


async def admin_attendee_new(fair):
    return await fair.form("admin/attendees/new", {"name": "Gunnar Gang", "role": "deltager"})


async def admin_attendee_edit(fair):
    person = await Attendee.get(event=fair.event, name="Gunnar Gang")
    return await fair.form(f"admin/attendees/{person.id}", {"name": "Gunnar Gang", "role": "deltager",
                                                            "job_title": "Vandrer"})


async def admin_attendee_link(fair):
    person = await Attendee.get(event=fair.event, name="Gunnar Gang")
    return await fair.form(f"admin/attendees/{person.id}/link", {})


async def admin_attendee_sessions(fair):
    person = await Attendee.get(event=fair.event, name="Gunnar Gang")
    return await fair.form(f"admin/attendees/{person.id}/sessions/end", {})


async def admin_attendee_reprint(fair):
    person = await Attendee.get(event=fair.event, name="Gunnar Gang")
    return await fair.form(f"admin/attendees/{person.id}/reprint", {})


async def admin_talk_new(fair):
    return await fair.form("admin/programme/talks/new", {
        "title": "Gangtale", "starts_at": "2026-11-27T16:20", "duration": "5", "state": "draft"})


async def admin_talk_edit(fair):
    talk = await _talk(fair, title="Gangtale")
    form = {"title": "Gangtale", "starts_at": "2026-11-27T16:20", "duration": "6", "state": "draft",
            "revision": str(talk.revision)}
    return await fair.form(f"admin/programme/talks/{talk.id}", form)


async def admin_talk_save(fair):
    talk = await _talk(fair, title="Gangtale")
    form = {"starts_at": "2026-11-27T16:20", "duration": "7", "state": "draft", "revision": str(talk.revision)}
    return await fair.form(f"admin/programme/talks/{talk.id}/save", form)


async def admin_talk_delete(fair):
    talk = await _talk(fair, title="Gangtale")
    return await fair.form(f"admin/programme/talks/{talk.id}/delete", {"revision": str(talk.revision)})


async def admin_publish(fair):
    return await fair.form("admin/programme/publish", {"version": "walk-2"})


async def admin_swap(fair):
    talks = await Talk.filter(event=fair.event, state=TalkState.PUBLISHED, stage_id__not_isnull=True).order_by("id")
    first, second = next((a, b) for a in talks for b in talks if a.stage_id != b.stage_id
                         and (a.starts_at, a.ends_at) == (b.starts_at, b.ends_at))
    return await fair.form("admin/programme/capacity/swap", {
        "talk": str(first.id), "other": str(second.id), "talk_revision": str(first.revision),
        "other_revision": str(second.revision)})


async def _upload(fair, path: str, name: str, content: bytes, media_type: str) -> httpx.Response:
    return await fair.admin.post(f"{EVENT}/{path}", data={"csrf_token": fair.csrf},
                                 files={"file": (name, content, media_type)})


ATTENDEES_CSV = b"Navn;E-mail;Organisation\nIda Import;ida@example.dk;Gangkommune\n"


async def admin_attendee_upload(fair):
    return await _upload(fair, "admin/attendees/import", "deltagere.csv", ATTENDEES_CSV, "text/csv")


async def admin_attendee_import(fair):
    from messe.common.models import PendingImport

    pending = await PendingImport.filter(event=fair.event).order_by("-id").first()
    return await fair.form(f"admin/attendees/import/{pending.id}", {})


async def admin_mail(fair):
    return await fair.form("admin/attendees/mail?role=deltager", {"language": "en"})


async def admin_attendee_mail(fair):
    person = await Attendee.filter(event=fair.event).exclude(email="").order_by("id").first()
    return await fair.form(f"admin/attendees/{person.id}/mail", {"language": "da"})


async def admin_badges(fair):
    started = await fair.form("admin/badges", {"role": "", "organisation": "Gangkommune", "layout": "a6"})
    await finished(fair.admin, started.headers["location"] + ".json")  # the entry is written when it is done
    return started


FRAB = re.sub(rb"\s+<", b"<", b"""<?xml version="1.0"?>
<schedule><version>walk</version><conference><acronym>walk</acronym><title>Gang</title>
<start>2026-11-27</start><end>2026-11-27</end><days>1</days><time_zone_name>Europe/Copenhagen</time_zone_name>
</conference><day index="1" date="2026-11-27"><room name="Gangsalen"><event guid="w-1" id="1">
<date>2026-11-27T16:20:00+01:00</date><start>16:20</start><duration>00:05</duration><room>Gangsalen</room>
<title>Importeret gang</title><language>da</language><track></track><type>Talk</type><abstract></abstract>
<persons></persons></event></room></day></schedule>""")


async def admin_programme_upload(fair):
    return await _upload(fair, "admin/programme/import", "schedule.xml", FRAB, "application/xml")


async def admin_programme_import(fair):
    from messe.common.models import PendingImport

    pending = await PendingImport.filter(event=fair.event).order_by("-id").first()
    return await fair.form(f"admin/programme/import/{pending.id}", {})


# One tap at the door makes three facts the log tells apart: registered, let in, badge printed.
WALK_IN = ("attendee.created", "checkin.created", "badge.printed")
# An upload is kept for its preview until the organiser confirms it; the confirmation is logged.
STAGED = ()

# Route: (the request its user sends, whether it changes an existing record's values, or the
# actions it logs when that is not exactly one). In order: later steps use what earlier ones made.
WALK: dict[tuple[str, str], tuple[Step, bool | tuple[str, ...]]] = {
    ("POST", "/{event}/api/talks"): (api_talk_create, False),
    ("PATCH", "/{event}/api/talks/{id:int}"): (api_talk_patch, True),
    ("DELETE", "/{event}/api/talks/{id:int}"): (api_talk_delete, False),
    ("POST", "/{event}/api/stages"): (api_stage_create, False),
    ("PATCH", "/{event}/api/stages/{id:int}"): (api_stage_patch, True),
    ("DELETE", "/{event}/api/stages/{id:int}"): (api_stage_delete, False),
    ("POST", "/{event}/api/announcements"): (api_announce, False),
    ("POST", "/{event}/api/publish"): (api_publish, False),
    ("POST", "/{event}/api/attendees"): (api_attendee_create, False),
    ("PATCH", "/{event}/api/attendees/{id:int}"): (api_attendee_patch, True),
    ("POST", "/{event}/api/attendees/{id:int}/erase"): (api_attendee_erase, False),
    ("DELETE", "/{event}/api/attendees/{id:int}"): (api_attendee_delete, False),
    ("POST", "/{event}/api/exhibitors"): (api_exhibitor_create, False),
    ("PATCH", "/{event}/api/exhibitors/{id:int}"): (api_exhibitor_patch, True),
    ("DELETE", "/{event}/api/exhibitors/{id:int}"): (api_exhibitor_delete, False),
    ("POST", "/{event}/api/badges/{attendee_id:int}/print"): (api_badge_print, False),
    ("POST", "/{event}/api/checkins"): (api_checkin, False),
    ("POST", "/{event}/api/leads"): (api_lead, False),
    ("PATCH", "/{event}/api/leads/{id:int}"): (api_lead_patch, True),
    ("POST", "/{event}/leads/{id:int}"): (lead_page, True),
    ("POST", "/{event}/checkin/walk-in"): (walk_in, WALK_IN),
    ("POST", "/{event}/admin/stages/new"): (admin_stage_new, False),
    ("POST", "/{event}/admin/stages/{id:int}"): (admin_stage_edit, True),
    ("POST", "/{event}/admin/tracks/new"): (admin_track_new, False),
    ("POST", "/{event}/admin/tracks/{id:int}"): (admin_track_edit, True),
    ("POST", "/{event}/admin/speakers/new"): (admin_speaker_new, False),
    ("POST", "/{event}/admin/speakers/{id:int}"): (admin_speaker_edit, True),
    ("POST", "/{event}/admin/organisations/new"): (admin_organisation_new, False),
    ("POST", "/{event}/admin/organisations/{id:int}"): (admin_organisation_edit, True),
    ("POST", "/{event}/admin/exhibitors/new"): (admin_exhibitor_new, False),
    ("POST", "/{event}/admin/exhibitors/{id:int}"): (admin_exhibitor_edit, True),
    ("POST", "/{event}/admin/exhibitors/{id:int}/staff/new"): (admin_staff_new, False),
    ("POST", "/{event}/admin/accounts/new"): (admin_account_new, False),
    ("POST", "/{event}/admin/accounts/{id:int}/active"): (admin_account_active, True),
    ("POST", "/{event}/admin/accounts/{id:int}/password"): (admin_account_password, False),
    ("POST", "/{event}/admin/accounts/{id:int}/sessions/end"): (admin_account_sessions, False),
    ("POST", "/{event}/admin/tokens"): (admin_token_new, False),
    ("POST", "/{event}/admin/tokens/{id:int}/revoke"): (admin_token_revoke, False),
    ("POST", "/{event}/admin/announcements"): (admin_announce, False),
    ("POST", "/{event}/admin/attendees/new"): (admin_attendee_new, False),
    ("POST", "/{event}/admin/attendees/{id:int}"): (admin_attendee_edit, True),
    ("POST", "/{event}/admin/attendees/{id:int}/link"): (admin_attendee_link, False),
    ("POST", "/{event}/admin/attendees/{id:int}/sessions/end"): (admin_attendee_sessions, False),
    ("POST", "/{event}/admin/attendees/{id:int}/reprint"): (admin_attendee_reprint, False),
    ("POST", "/{event}/admin/attendees/{id:int}/mail"): (admin_attendee_mail, False),
    ("POST", "/{event}/admin/attendees/mail"): (admin_mail, False),
    ("POST", "/{event}/admin/attendees/import"): (admin_attendee_upload, STAGED),
    ("POST", "/{event}/admin/attendees/import/{id:int}"): (admin_attendee_import, False),
    ("POST", "/{event}/admin/badges"): (admin_badges, False),
    ("POST", "/{event}/admin/programme/talks/new"): (admin_talk_new, False),
    ("POST", "/{event}/admin/programme/talks/{id:int}"): (admin_talk_edit, True),
    ("POST", "/{event}/admin/programme/talks/{id:int}/save"): (admin_talk_save, True),
    ("POST", "/{event}/admin/programme/talks/{id:int}/delete"): (admin_talk_delete, False),
    ("POST", "/{event}/admin/programme/publish"): (admin_publish, False),
    ("POST", "/{event}/admin/programme/capacity/swap"): (admin_swap, True),
    ("POST", "/{event}/admin/programme/import"): (admin_programme_upload, STAGED),
    ("POST", "/{event}/admin/programme/import/{id:int}"): (admin_programme_import, False),
    ("PUT", "/{event}/api/me/stands/{exhibitor_id:int}"): (stand_save, False),
    ("POST", "/{event}/api/me/stands"): (stands_merge, False),
    ("DELETE", "/{event}/api/me/stands/{exhibitor_id:int}"): (stand_remove, False),
    ("POST", "/{event}/me/erase"): (me_erase, False),
}


def test_the_walk_covers_every_write_route(app):
    routes = write_routes(app.routes)
    assert routes - WALK.keys() - NOT_AUDITED.keys() == set(), "a write route neither walked nor exempted"
    assert (WALK.keys() | NOT_AUDITED.keys()) - routes == set(), "the walk names a route that does not exist"


async def _signed_in(app, fair_event: Event, username: str, role: str, exhibitor=None) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    await create_account(fair_event, username, PASSWORD, role, exhibitor=exhibitor)
    await sign_in(client, username)
    return client


@pytest.fixture
async def walking(app, client, fair, inbox, monkeypatch, tmp_path) -> Fair:  # noqa: F811
    from messe.badges.domain import badge_jobs

    monkeypatch.setattr(badge_jobs, "JOBS", badge_jobs.JobStore(tmp_path / "jobs"))
    exhibitor = await Exhibitor.filter(event=fair).order_by("stand").first()
    await create_account(fair, "anne", PASSWORD, "organiser", name="Anne Ærø")
    await sign_in(client, "anne")
    walk = Fair(fair, client, csrf_of((await client.get(f"{EVENT}/login")).text), {
        "organiser": await make_token(fair, "organiser"), "door": await make_token(fair, "door"),
        "exhibitor": await make_token(fair, "exhibitor", exhibitor)})
    walk.door_staff = await _signed_in(app, fair, "dora", "door")
    walk.exhibitor_staff = await _signed_in(app, fair, "ebbe", "exhibitor", exhibitor)
    from messe.people.domain.accounts import issue_personal_link_token

    attendee = await _visitor(walk, 5)
    walk.attendee = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    await walk.attendee.get(f"{EVENT}/link/{await issue_personal_link_token(attendee)}")
    yield walk
    for other in (walk.door_staff, walk.exhibitor_staff, walk.attendee):
        await other.aclose()


def _why(response: httpx.Response) -> str:
    """The refusal's words: a JSON error, or a page's alert and field errors."""
    if "json" in response.headers.get("content-type", ""):
        return response.text[:300]
    alerts = re.findall(r'(?:role="alert"|class="field-error")[^>]*>(.*?)</', response.text, re.S)
    return " | ".join(re.sub(r"<[^>]+>|\s+", " ", alert).strip() for alert in alerts)[:300]


async def test_every_write_leaves_exactly_one_audit_entry(walking):
    problems = []
    for route, (step, expected) in WALK.items():
        before = await AuditEntry.filter(event=walking.event).count()
        try:
            response = await step(walking)
        except Exception as exc:  # an earlier step failed to make what this one needs
            problems.append(f"{route}: {exc!r}")
            continue
        if response.status_code >= 400:
            problems.append(f"{route}: answered {response.status_code}: {_why(response)}")
            continue
        entries = await AuditEntry.filter(event=walking.event).order_by("id").offset(before)
        if isinstance(expected, tuple):
            if tuple(e.action for e in entries) != expected:
                problems.append(f"{route}: {[e.action for e in entries]}, not {list(expected)}")
        elif len(entries) != 1:
            problems.append(f"{route}: {len(entries)} audit entries {[e.action for e in entries]}")
        elif expected and not ({"before", "after"} <= entries[0].detail.keys()):
            problems.append(f"{route}: {entries[0].action} names no values before and after: {entries[0].detail}")
    assert problems == [], "\n".join(problems)
