"""The admin sections: lists, forms with their errors, accounts, tokens, attendees and the audit log."""

from __future__ import annotations

import re

from messe.common.models import AuditEntry, Event
from messe.expo.models import Exhibitor, ExhibitorStaff
from messe.people.models import Account, ApiToken, Attendee, Organisation
from messe.programme.models import ScheduleChange, Speaker, Stage, Talk, Track
from tests.admin.conftest import PASSWORD, sign_in, submit
from tests.conftest import bearer


async def test_home_counts_and_links(organiser, fair):
    page = await organiser.get("/messe13/admin/")
    assert "Administration af Digitaliseringsmessen 13" in page.text
    assert '<span class="card__number">40</span><span class="card__label">Deltagere</span>' in page.text
    for path in ("stages", "tracks", "speakers", "attendees", "attendees/import", "programme/import", "organisations",
                 "exhibitors", "accounts", "tokens", "audit"):
        assert f'href="/messe13/admin/{path}"' in page.text


async def test_stage_edit_with_errors_then_saved_and_audited(organiser, fair):
    stage, other = await Stage.filter(event=fair).order_by("position").limit(2)
    values = {"code": stage.code, "name": stage.name, "hall": stage.hall, "position": "0"}
    bad = await submit(organiser, f"stages/{stage.id}", {**values, "capacity": "mange", "code": other.code})
    assert bad.status_code == 422
    assert "Kapacitet (pladser): Skal være et helt tal" in bad.text and 'aria-invalid="true"' in bad.text
    clash = await submit(organiser, f"stages/{stage.id}", {**values, "capacity": "700", "code": other.code})
    assert clash.status_code == 422 and "Koden er allerede i brug" in clash.text
    ok = await submit(organiser, f"stages/{stage.id}", {**values, "capacity": "700"})
    assert ok.status_code == 303 and ok.headers["location"] == "/messe13/admin/stages"
    assert (await Stage.get(id=stage.id)).capacity == 700
    assert f"&#39;{stage.name}&#39; er gemt" in (await organiser.get("/messe13/admin/stages")).text
    entry = await AuditEntry.filter(event=fair, action="stage.updated").first()
    assert entry.actor == "Anne Ærø" and entry.object_id == str(stage.id) and entry.detail["fields"]


async def test_renaming_a_stage_reaches_the_published_programme(organiser, fair):
    """Needs the live hub running in the app's lifespan (messe.live.runtime.live_runtime)."""
    stage = await Stage.filter(event=fair).first()
    published = await Talk.filter(event=fair, stage=stage, published__isnull=False).count()
    assert published
    before = (await Event.get(id=fair.id)).last_seq
    renamed = await submit(organiser, f"stages/{stage.id}", {"code": stage.code, "name": "Store Sal Øst",
                                                             "hall": stage.hall, "capacity": "600", "position": "0"})
    assert renamed.status_code == 303
    changes = await ScheduleChange.filter(event=fair, seq__gt=before)
    assert len(changes) == published and all(c.after["stage"]["name"] == "Store Sal Øst" for c in changes)


async def test_new_track_speaker_and_organisation(organiser, fair):
    created = await submit(organiser, "tracks/new", {"code": "ai", "name": "Kunstig intelligens", "color": "#224466"})
    assert created.status_code == 303 and await Track.filter(event=fair, code="ai").exists()
    again = await submit(organiser, "tracks/new", {"code": "ai", "name": "Igen", "color": "#224466"})
    assert again.status_code == 422 and "&#39;ai&#39; er allerede i brug" in again.text
    speaker = await Speaker.filter(event=fair).first()
    renamed = await submit(organiser, f"speakers/{speaker.id}", {"code": speaker.code, "name": "Ny Navnesen",
                                                                 "organisation": "KL", "job_title": "", "bio": ""})
    assert renamed.status_code == 303 and (await Speaker.get(id=speaker.id)).name == "Ny Navnesen"
    organisation = await submit(organiser, "organisations/new", {"name": "Styrelsen for Prøvestene",
                                                               "kind": "statslig myndighed"})
    assert organisation.status_code == 303
    assert (await Organisation.get(event=fair, name="Styrelsen for Prøvestene")).kind == "statslig myndighed"
    wrong_kind = await submit(organiser, "organisations/new", {"name": "X", "kind": "forening"})
    assert wrong_kind.status_code == 422 and "Skal være en af" in wrong_kind.text


async def test_exhibitor_staff_get_their_own_login(organiser, client, fair, app):
    exhibitor = await Exhibitor.filter(event=fair).order_by("stand").first()
    short = await submit(organiser, f"exhibitors/{exhibitor.id}/staff/new",
                        {"name": "Kim", "email": "kim@kombit.dk", "username": "kim", "password": "kort"})
    assert short.status_code == 422 and "Skal være mindst 10 tegn" in short.text
    made = await submit(organiser, f"exhibitors/{exhibitor.id}/staff/new",
                       {"name": "Kim Stand", "email": "kim@kombit.dk", "username": "kim", "password": PASSWORD})
    assert made.headers["location"] == f"/messe13/admin/exhibitors/{exhibitor.id}"
    staff = await ExhibitorStaff.get(exhibitor=exhibitor).prefetch_related("account")
    assert (staff.name, staff.account.role, staff.account.exhibitor_id) == ("Kim Stand", "exhibitor", exhibitor.id)
    page = await organiser.get(f"/messe13/admin/exhibitors/{exhibitor.id}")
    assert "Kim Stand" in page.text and "Stop login for Kim Stand" in page.text
    stopped = await submit(organiser, f"accounts/{staff.account.id}/active",
                          {"active": "0", "back": f"exhibitors/{exhibitor.id}"})
    assert stopped.headers["location"] == f"/messe13/admin/exhibitors/{exhibitor.id}"
    assert not (await Account.get(id=staff.account.id)).is_active


async def test_accounts_create_stop_and_new_password(organiser, fair):
    missing_exhibitor = await submit(organiser, "accounts/new", {"username": "ulla", "password": PASSWORD,
                                                                "role": "exhibitor", "exhibitor_id": ""})
    assert missing_exhibitor.status_code == 422 and "Vælg den udstiller" in missing_exhibitor.text
    made = await submit(organiser, "accounts/new", {"username": "dorte", "name": "Dorte Dør", "password": PASSWORD,
                                                   "role": "door", "exhibitor_id": ""})
    assert made.status_code == 303
    taken = await submit(organiser, "accounts/new", {"username": "dorte", "password": PASSWORD, "role": "door"})
    assert taken.status_code == 422 and "findes allerede" in taken.text
    dorte = await Account.get(event=fair, username="dorte")
    await submit(organiser, f"accounts/{dorte.id}/password", {"password": "et-helt-nyt-kodeord"})
    await submit(organiser, f"accounts/{dorte.id}/active", {"active": "0"})
    assert not (await Account.get(id=dorte.id)).is_active
    anne = await Account.get(event=fair, username="anne")
    self_stop = await submit(organiser, f"accounts/{anne.id}/active", {"active": "0"})
    assert "Du kan ikke deaktivere din egen konto" in (await organiser.get(self_stop.headers["location"])).text
    assert (await Account.get(id=anne.id)).is_active
    actions = await AuditEntry.filter(event=fair).values_list("action", flat=True)
    assert {"account.created", "account.password_set", "account.deactivated"} <= set(actions)


async def test_password_change_works_for_sign_in(organiser, client, fair, app):
    await submit(organiser, "accounts/new", {"username": "dorte", "password": PASSWORD, "role": "door"})
    dorte = await Account.get(event=fair, username="dorte")
    await submit(organiser, f"accounts/{dorte.id}/password", {"password": "et-helt-nyt-kodeord"})
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as other:
        await sign_in(other, "dorte", "et-helt-nyt-kodeord")


async def test_api_token_shown_once_works_and_can_be_revoked(organiser, fair):
    page = await submit(organiser, "tokens", {"name": "Scanner ved indgang A", "role": "door", "exhibitor_id": ""})
    assert page.status_code == 200 and "Det bliver ikke vist igen" in page.text
    token = re.search(r'<code class="secret" id="new-token">([^<]+)</code>', page.text).group(1)
    assert token not in (await organiser.get("/messe13/admin/tokens")).text
    assert (await organiser.get("/messe13/api/checkins/counts", headers=bearer(token))).status_code == 200
    stored = await ApiToken.get(event=fair, name="Scanner ved indgang A")
    await submit(organiser, f"tokens/{stored.id}/revoke", {})
    assert (await organiser.get("/messe13/api/checkins/counts", headers=bearer(token))).status_code == 401


async def test_attendee_search_paging_edit_link_and_reprint(organiser, fair, jobs):
    attendee = await Attendee.filter(event=fair, organisation_id__not_isnull=True).prefetch_related(
        "organisation").first()
    for text in (attendee.name.split()[0], attendee.email.upper(), attendee.organisation.name):
        found = await organiser.get("/messe13/admin/attendees", params={"q": text})
        assert f"/messe13/admin/attendees/{attendee.id}\"" in found.text, text
    both = await organiser.get("/messe13/admin/attendees", params={"q": f"{attendee.name.split()[0]} "
                                                                        f"{attendee.organisation.name.split()[0]}"})
    assert f"/messe13/admin/attendees/{attendee.id}\"" in both.text
    first = await organiser.get("/messe13/admin/attendees")
    assert "Viser 1–40 af 40 deltagere" in first.text
    nothing = await organiser.get("/messe13/admin/attendees?q=zzzqqq&page=99999999999")
    assert "Ingen deltagere passer" in nothing.text

    values = {"name": "Åse Ærø-Ørsted", "email": "aase@aeroe.dk", "phone": "", "organisation": "Ærø Kommune",
              "job_title": "Chef", "role": "presse", "consent_share_contact": "on"}
    saved = await submit(organiser, f"attendees/{attendee.id}", values)
    assert saved.status_code == 303
    await attendee.refresh_from_db()
    assert (attendee.name, attendee.role, attendee.consent_share_contact) == ("Åse Ærø-Ørsted", "presse", True)
    bad_email = await submit(organiser, f"attendees/{attendee.id}", {**values, "email": "nej"})
    assert bad_email.status_code == 422 and "E-mail: Har ikke det rigtige format" in bad_email.text

    shown = await submit(organiser, f"attendees/{attendee.id}/link", {})
    link = re.search(r'id="personal-link">http://testserver(/messe13/link/[^<]+)<', shown.text).group(1)
    assert (await organiser.get(link)).status_code == 303  # (this signs the test client in as the attendee)

    await sign_in(organiser, "anne")
    version = attendee.badge_version
    reprinted = await submit(organiser, f"attendees/{attendee.id}/reprint", {})
    assert reprinted.status_code == 303
    assert (await Attendee.get(id=attendee.id)).badge_version == version + 1
    assert f"Badge version {version + 1}" in (await organiser.get(reprinted.headers["location"])).text


async def test_new_attendee(organiser, fair):
    made = await submit(organiser, "attendees/new", {"name": "Walk In", "role": "deltager", "organisation": "Ny Org"})
    assert made.status_code == 303
    walk_in = await Attendee.get(event=fair, name="Walk In").prefetch_related("organisation")
    assert walk_in.organisation.name == "Ny Org"


async def test_audit_log_filters(organiser, fair):
    stage = await Stage.filter(event=fair).first()
    await submit(organiser, f"stages/{stage.id}", {"code": stage.code, "name": stage.name, "hall": stage.hall,
                                                   "capacity": "10", "position": "0"})
    await submit(organiser, "tracks/new", {"code": "ny", "name": "Nyt", "color": "#224466"})
    everything = await organiser.get("/messe13/admin/audit")
    assert f"ændrede scenen &#39;{stage.name}&#39;" in everything.text
    assert "oprettede sporet &#39;Nyt&#39;" in everything.text
    filtered = await organiser.get("/messe13/admin/audit?kind=track.created&actor=Anne+%C3%86r%C3%B8")
    assert "1 hændelse<" in filtered.text
    rows = filtered.text.split('class="audit-log"')[1]
    assert "oprettede sporet" in rows and "ændrede scenen" not in rows
    unknown = await organiser.get("/messe13/admin/audit?kind=Nonsense")
    assert "ændrede scenen" in unknown.text  # an unknown filter value is ignored, not an error
