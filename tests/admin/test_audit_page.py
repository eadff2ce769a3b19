"""The audit log page: what organisers, door staff and exhibitors did, as sentences with before and
after values and a link to the record, filtered by person, kind and time, in pages."""

from __future__ import annotations

import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from messe.common.audit import record
from messe.common.models import AuditEntry
from messe.expo.domain.leads import Scan, capture_lead
from messe.expo.models import Exhibitor
from messe.people.models import Attendee
from messe.programme.models import Stage, TalkState
from tests.admin.conftest import submit
from tests.admin.test_programme_editor import move, talk, text
from tests.conftest import bearer, make_token

AUDIT = "/messe13/admin/audit"
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


async def moved_talk(organiser, fair):
    """Anne moves t-021 to 11:55 on the lightning stage and publishes it."""
    item = await talk(fair, "t-021")
    lyntale = await Stage.get(event=fair, code="lyntalescenen")
    saved = await submit(organiser, f"programme/talks/{item.id}/save",
                         move(item, "2026-11-27T11:55", lyntale.id, publish="on"))
    assert saved.status_code == 303
    return item


async def test_a_move_reads_as_a_sentence_with_before_after_and_a_link(organiser, fair):
    item = await moved_talk(organiser, fair)
    page = await organiser.get(AUDIT)
    assert page.status_code == 200
    start = item.starts_at.astimezone(COPENHAGEN).strftime("%H:%M")
    words = text(page)
    assert (f"Anne Ærø (arrangør) flyttede '{item.title}' fra {start} {item.stage.name} til 11:55 Lyntalescenen"
            in words)
    assert f"Scene {item.stage.name} Lyntalescenen" in words and "Sendt til deltagerne" in words
    assert f'href="/messe13/admin/programme/talks/{item.id}"' in page.text and "Se foredraget" in words
    assert "talk.updated" not in page.text and "published: True" not in page.text
    english = text(await organiser.get(AUDIT + "?lang=en"))
    assert f"Anne Ærø (organiser) moved '{item.title}' from {start} {item.stage.name} to 11:55 Lyntalescenen" \
        in english and "See the talk" in english and "Before" in english


async def test_filters_by_kind_person_and_time(client, organiser, fair):
    item = await moved_talk(organiser, fair)
    cancelled = await talk(fair, "t-048")
    await submit(organiser, f"programme/talks/{cancelled.id}/save",
                 move(cancelled, "2026-11-27T15:15", cancelled.stage_id, state=TalkState.CANCELLED, publish="on"))
    door = await make_token(fair, "door")
    person = await Attendee.filter(event=fair).order_by("id").first()
    assert (await client.get("/messe13/api/checkins/search", params={"q": person.name},
                             headers=bearer(door))).status_code == 200
    checked = await client.post("/messe13/api/checkins", headers=bearer(door),
                                json={"attendee_id": person.id, "client_id": uuid.uuid4().hex})
    assert checked.status_code == 201

    everything = await organiser.get(AUDIT)
    assert 'for="filter-actor"' in everything.text and 'for="filter-kind"' in everything.text
    assert 'for="filter-from"' in everything.text and 'for="filter-to"' in everything.text
    assert '<option value="talk.moved">Foredrag flyttet</option>' in everything.text
    assert '<option value="talk.cancelled">Foredrag aflyst</option>' in everything.text
    assert "API-nøglen &#39;door&#39; (dørpersonale) tjekkede " + person.name + " ind i hånden" in everything.text

    moves = text(await organiser.get(AUDIT, params={"kind": "talk.moved"}))
    assert "1 hændelse " in moves and f"flyttede '{item.title}'" in moves and "aflyste" not in moves
    cancels = text(await organiser.get(AUDIT, params={"kind": "talk.cancelled"}))
    assert f"Anne Ærø (arrangør) aflyste '{cancelled.title}'" in cancels and "Status Offentliggjort Aflyst" in cancels
    door_only = text(await organiser.get(AUDIT, params={"actor": "token:door"}))
    assert "1 hændelse " in door_only and "tjekkede" in door_only and "flyttede" not in door_only
    anne = text(await organiser.get(AUDIT, params={"actor": "Anne Ærø"}))
    assert "2 hændelser" in anne and "tjekkede" not in anne

    newest = await AuditEntry.filter(event=fair).order_by("-id").first()
    local = newest.created_at.astimezone(COPENHAGEN).replace(tzinfo=None)
    later = text(await organiser.get(AUDIT, params={"from": (local + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")}))
    assert "0 hændelser" in later and "Ingen hændelser passer til filteret." in later
    earlier = text(await organiser.get(AUDIT, params={"to": (local + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),
                                                      "kind": "checkin.created"}))
    assert "1 hændelse " in earlier
    nonsense = await organiser.get(AUDIT, params={"from": "i går", "kind": "nonsense", "actor": "Nobody"})
    assert nonsense.status_code == 200 and "Tidspunktet kunne ikke læses og er ikke brugt" in nonsense.text
    assert 'aria-invalid="true"' in nonsense.text and "tjekkede" in nonsense.text  # the rest is not filtered


async def test_a_long_log_comes_in_pages_that_keep_the_filter(organiser, fair):
    for n in range(55):
        await record(fair, "Bo Bech", "badges.printed", None, count=n + 2)
    await record(fair, "Anne Ærø", "badges.printed", None, count=1)
    first = text(await organiser.get(AUDIT, params={"actor": "Bo Bech"}))
    assert "55 hændelser · Side 1 af 2" in first and "Bo Bech udskrev 56 badges" in first
    assert "Bo Bech udskrev 2 badges" not in first and "Anne Ærø" not in first.split("Sider")[0].split("Vis alt")[1]
    page = await organiser.get(AUDIT, params={"actor": "Bo Bech"})
    assert 'href="/messe13/admin/audit?actor=Bo+Bech&amp;page=2"' in page.text
    second = text(await organiser.get(AUDIT, params={"actor": "Bo Bech", "page": "2"}))
    assert "Bo Bech udskrev 2 badges" in second and "Bo Bech udskrev 56 badges" not in second


async def test_a_new_lead_is_in_the_log_once_and_a_gone_record_has_no_link(organiser, fair):
    exhibitor = await Exhibitor.filter(event=fair).order_by("id").first()
    person = await Attendee.filter(event=fair).order_by("id").first()
    for _ in range(2):  # the second scan of the same badge is not a new lead
        await capture_lead(exhibitor, person, Scan(uuid.uuid4().hex, 1), None, actor="Søren")
    [entry] = await AuditEntry.filter(event=fair, kind="lead.captured")
    assert entry.object_id == str(person.id)
    page = text(await organiser.get(AUDIT, params={"kind": "lead.captured"}))
    assert f"Søren scannede {person.name} som lead hos {exhibitor.name}" in page and "Se deltageren" in page
    await record(fair, "Anne Ærø", "talk.deleted", None, title="Gammel kladde")
    gone = await organiser.get(AUDIT, params={"kind": "talk.deleted"})
    assert "slettede kladden &#39;Gammel kladde&#39;" in gone.text and "Se foredraget" not in gone.text


async def test_edits_of_stages_people_and_exhibitors_show_their_values_before_and_after(client, organiser, fair,
                                                                                     organiser_token):
    stage = await Stage.filter(event=fair).order_by("position").first()
    saved = await submit(organiser, f"stages/{stage.id}", {"code": stage.code, "name": stage.name, "hall": stage.hall,
                                                           "position": "0", "capacity": "700"})
    assert saved.status_code == 303
    person = await Attendee.filter(event=fair).order_by("id").first()
    patched = await client.patch(f"/messe13/api/attendees/{person.id}", headers=bearer(organiser_token),
                                 json={"phone": "+45 12 34 56 78"})
    assert patched.status_code == 200
    exhibitor = await Exhibitor.filter(event=fair).order_by("id").first()
    renamed = await client.patch(f"/messe13/api/exhibitors/{exhibitor.id}", headers=bearer(organiser_token),
                                 json={"name": "KOMBIT A/S"})
    assert renamed.status_code == 200
    words = text(await organiser.get(AUDIT))
    table = "Før og efter Felt Før Efter"
    assert f"Anne Ærø (arrangør) ændrede scenen '{stage.name}' Se scenen {table} Pladser {stage.capacity} 700" in words
    assert f"API-nøglen 'organiser' (arrangør) ændrede oplysningerne om {person.name} Se deltageren {table} " \
           f"Telefon {person.phone or '–'} +45 12 34 56 78" in words
    assert f"ændrede udstilleren 'KOMBIT A/S' Se udstilleren {table} Navn {exhibitor.name} KOMBIT A/S" in words
