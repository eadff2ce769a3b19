"""The hall on its own page, each exhibitor's profile, and the stands attendees save in "Mit
program" (kept on the server like their stars, each change audited)."""

from __future__ import annotations

import json
import re

from messe.common.models import AuditEntry, Event
from messe.expo.domain.floorplan import CELL_HEIGHT, GAP, ZOOMS, name_lines
from messe.expo.models import Exhibitor, StandBookmark
from messe.people.domain.accounts import issue_personal_link_token
from messe.people.domain.privacy import erase_attendee
from messe.people.models import Attendee
from messe.seeding import SEED_DIR, seed

MAP = "/messe13/exhibitors/map"


async def _sign_in(client, attendee) -> dict[str, str]:
    token = await issue_personal_link_token(attendee)
    assert (await client.get(f"/messe13/link/{token}")).status_code == 303
    page = await client.get("/messe13/exhibitors")
    return {"X-CSRF-Token": re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)}


def _main(html: str) -> str:
    return html[html.index('<main id="main"'):]


async def test_the_map_comes_first_on_its_own_page_with_every_stand_and_the_halls_places(client, fair):
    page = await client.get(MAP)
    assert page.status_code == 200
    main = _main(page.text)
    assert main.index("<h1") < main.index('<figure class="floorplan"') < main.index("Sådan læser du kortet")
    assert len(re.findall(r'<figure class="floorplan"', main)) == 3
    assert len(re.findall(r'<a href="/messe13/exhibitors/\d+" id="stand-', main)) == 104
    kombit = await Exhibitor.get(event=fair, stand="A1")
    assert f'id="stand-A1" class="floorplan__link" data-stand="A1" data-exhibitor="{kombit.id}"' in main
    assert 'aria-label="Stand A1: KOMBIT"' in main and ">KOMBIT</tspan>" in main
    for place in ("Hovedindgang", "Indgang", "Café", "Toiletter", "Information", "Store Sal", "Værkstedet"):
        assert f">{place}</text>" in main, place
    for kind in ("entrance", "stage", "cafe", "toilets", "info"):
        assert f"floorplan__feature--{kind}" in main
    store_sal = re.search(r'href="/messe13/programme\?view=stage&amp;stage=(\d+)"[^>]*"Store Sal, scene', main)
    programme = await client.get(f"/messe13/programme?view=stage&stage={store_sal.group(1)}")
    assert "Store Sal" in programme.text and programme.status_code == 200
    english = await client.get(MAP, params={"lang": "en"})
    assert ">Toilets</text>" in english.text and ">Main entrance</text>" in english.text
    assert "Zoom in" in english.text and "Hall map" in english.text


async def test_every_stand_on_the_map_is_a_target_of_at_least_44_px_at_every_zoom(client, fair):
    main = _main((await client.get(MAP)).text)
    sizes = re.findall(r'<rect x="\d+" y="\d+" width="(\d+)" height="(\d+)" rx="4" class="floorplan__stand', main)
    assert len(sizes) == 104
    smallest = min(ZOOMS)
    assert all(int(w) * smallest >= 44 and int(h) * smallest >= 44 for w, h in sizes)
    assert (CELL_HEIGHT - GAP) * smallest >= 44
    assert re.search(r'data-zooms="0.75,1.0,1.25,1.5,2.0"', main)


async def test_a_stand_chosen_for_the_map_is_highlighted_and_named_in_the_plans_title(client, fair):
    main = _main((await client.get(MAP, params={"stand": "b3"})).text)
    assert main.count("floorplan__stand--chosen") == 1
    assert 'id="stand-B3" class="floorplan__link is-chosen"' in main
    assert "Oversigtskort over Hal B – stand B3 er fremhævet" in main
    assert "stand B3 er fremhævet" not in main[:main.index('id="plan-B"')]


def test_long_names_are_broken_into_two_lines_that_fit_the_stand():
    assert name_lines("KOMBIT", 84) == ("KOMBIT",)
    assert name_lines("Microsoft Danmark", 84) == ("Microsoft", "Danmark")
    lines = name_lines("OS2 – Offentligt digitaliseringsfællesskab", 84)
    assert len(lines) == 2 and lines[-1].endswith("…") and all(len(line) <= 11 for line in lines)


def test_the_seeds_places_never_cover_a_stand():
    halls = json.loads((SEED_DIR / "event.json").read_text())["halls"]
    stands = json.loads((SEED_DIR / "exhibitors.json").read_text())
    taken = {(s["hall"], s["x"] + dx, s["y"]) for s in stands for dx in range(s["width"])}
    places = [(h["code"], f) for h in halls for f in h["features"]]
    assert {f["kind"] for _, f in places} == {"entrance", "stage", "cafe", "toilets", "info"}
    cells = [(code, f["x"] + dx, f["y"] + dy) for code, f in places
             for dx in range(f["width"]) for dy in range(f["height"])]
    assert not taken & set(cells) and len(cells) == len(set(cells))


async def test_seeding_again_adds_the_places_a_fair_lacks_and_changes_nothing_else(fair):
    event = await Event.get(id=fair.id)
    event.halls = [{"code": h["code"], "name": h["name"]} for h in event.halls]
    event.halls[0]["features"] = [{"code": "a-cafe", "kind": "cafe", "x": 0, "y": 9, "width": 1, "height": 1}]
    await event.save(update_fields=["halls"])
    await seed(attendee_limit=40)
    halls = (await Event.get(id=fair.id)).halls
    assert [h["code"] for h in halls] == ["A", "B", "C"]
    assert halls[0]["features"][0] == {"code": "a-cafe", "kind": "cafe", "x": 0, "y": 9, "width": 1, "height": 1}
    assert len(halls[0]["features"]) == 5 and len(halls[2]["features"]) == 6
    await seed(attendee_limit=40)
    assert (await Event.get(id=fair.id)).halls == halls


async def test_an_exhibitors_page_has_its_stand_website_talks_and_the_way_to_the_map(client, fair):
    kombit = await Exhibitor.get(event=fair, name="KOMBIT")
    page = await client.get(f"/messe13/exhibitors/{kombit.id}")
    assert page.status_code == 200
    main = _main(page.text)
    assert '<h1 id="exhibitor-title">KOMBIT</h1>' in main
    assert "Stand A1, hal A" in main and kombit.description in main
    assert 'href="https://www.kombit.dk"' in main
    assert '<a class="button" href="/messe13/exhibitors/map?stand=A1#stand-A1">Vis på kortet</a>' in main
    assert f'data-stand-bookmark="{kombit.id}"' in main
    talks = re.findall(r'<li class="talk[^"]*" data-talk="(\d+)"', main)
    assert talks, "KOMBIT's speakers give talks"
    assert "Foredrag med folk fra KOMBIT" in main
    assert f'<meta name="description" content="{kombit.description[:40]}' in page.text
    lonely = await Exhibitor.get(event=fair, stand="C24")
    alone = _main((await client.get(f"/messe13/exhibitors/{lonely.id}")).text)
    assert f"Ingen fra {lonely.name} holder foredrag på messen." in alone
    assert (await client.get("/messe13/exhibitors/999999")).status_code == 404
    listing = _main((await client.get("/messe13/exhibitors")).text)
    assert f'<a href="/messe13/exhibitors/{kombit.id}">KOMBIT</a>' in listing
    assert 'href="/messe13/exhibitors/map"' in listing and '<figure class="floorplan"' not in listing


async def test_saving_removing_and_merging_stands(client, fair):
    attendee = await Attendee.filter(event=fair).first()
    a1, a2, b3 = [await Exhibitor.get(event=fair, stand=s) for s in ("A1", "A2", "B3")]
    headers = await _sign_in(client, attendee)
    saved = await client.put(f"/messe13/api/me/stands/{a1.id}", headers=headers)
    assert saved.status_code == 200 and saved.json() == {"exhibitor_ids": [a1.id]}
    again = await client.put(f"/messe13/api/me/stands/{a1.id}", headers=headers)
    assert again.json() == {"exhibitor_ids": [a1.id]}
    merged = await client.post("/messe13/api/me/stands", headers=headers,
                               json={"exhibitor_ids": [a2.id, b3.id, a1.id, 999999]})
    assert merged.json()["exhibitor_ids"] == sorted([a1.id, a2.id, b3.id])
    await client.delete(f"/messe13/api/me/stands/{a2.id}", headers=headers)
    assert (await client.get("/messe13/api/me/stands")).json()["exhibitor_ids"] == sorted([a1.id, b3.id])
    assert (await client.put("/messe13/api/me/stands/999999", headers=headers)).status_code == 404
    actions = await AuditEntry.filter(event=fair, object_type="Attendee", object_id=str(attendee.id)).order_by(
        "id").values_list("action", flat=True)
    assert actions == ["stand.saved", "stand.merged", "stand.removed"]

    schedule = _main((await client.get("/messe13/me/schedule")).text)
    mine = schedule[schedule.index('id="my-stands"'):schedule.index('id="my-stands-empty"')]
    assert re.findall(r'data-exhibitor="(\d+)"', mine) == [str(a1.id), str(b3.id)]
    assert "Vis på kortet" in mine and 'id="my-stands-empty" hidden' in schedule


async def test_stands_need_an_attendee_and_the_csrf_header(client, fair):
    attendee = await Attendee.filter(event=fair).first()
    exhibitor = await Exhibitor.filter(event=fair).first()
    assert (await client.get("/messe13/api/me/stands")).status_code == 401
    await _sign_in(client, attendee)
    assert (await client.put(f"/messe13/api/me/stands/{exhibitor.id}")).status_code == 403
    assert not await StandBookmark.filter(attendee=attendee).exists()


async def test_saved_stands_are_in_my_data_and_erased_with_the_attendee(client, fair):
    attendee = await Attendee.filter(event=fair).first()
    exhibitor = await Exhibitor.get(event=fair, stand="A1")
    headers = await _sign_in(client, attendee)
    await client.put(f"/messe13/api/me/stands/{exhibitor.id}", headers=headers)
    data = (await client.get("/messe13/me/data.json")).json()
    assert data["saved_stands"] == [{"exhibitor": "KOMBIT", "stand": "A1"}]
    assert "1 gemt stand" in (await client.get("/messe13/me/data")).text
    await erase_attendee(attendee, actor="test")
    assert not await StandBookmark.filter(attendee_id=attendee.id).exists()
