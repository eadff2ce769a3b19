"""The programme editor: the grid, a move's impact preview, saving through the change log,
refusing a save over someone else's newer edit, capacity suggestions and publishing a version."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from messe.common.models import AuditEntry, Event
from messe.people.models import Attendee, Bookmark
from messe.programme.domain.editing import cancel_talk, move_talk, update_talk
from messe.programme.domain.grid import build_grid
from messe.programme.domain.impact import Span, assess
from messe.programme.domain.rules import Slot
from messe.programme.domain.talk_facts import facts_of
from messe.programme.models import ScheduleChange, Stage, Talk, TalkState
from tests.admin.conftest import submit
from tests.conftest import bearer

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


async def talk(fair, code: str) -> Talk:
    return await Talk.get(event=fair, code=code).prefetch_related("stage", "speakers")


async def stage(fair, code: str) -> Stage:
    return await Stage.get(event=fair, code=code)


async def star(fair, stars: dict[str, range | list[int]]) -> list[Attendee]:
    """Attendee number n (by id) stars the talks whose codes list n."""
    attendees = await Attendee.filter(event=fair).order_by("id")
    talks = {t.code: t for t in await Talk.filter(event=fair, code__in=list(stars))}
    await Bookmark.bulk_create([Bookmark(attendee=attendees[n], talk=talks[code])
                                for code, numbers in stars.items() for n in numbers])
    return attendees


def text(response) -> str:
    """The page's text with tags removed and white space collapsed (a language mark is inline: no space)."""
    inline = re.sub(r'<span lang="[^"]*">([^<]*)</span>', r"\1", response.text)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def move(item: Talk, start: str, stage_id: int | str, **values: str) -> dict[str, str]:
    """A move form as the editor sends it, from the talk as it was read."""
    form = {"starts_at": start, "duration": str(int((item.ends_at - item.starts_at).total_seconds() // 60)),
            "stage_id": str(stage_id), "state": item.state, "revision": str(item.revision)}
    return {**form, "seen": facts_of(item).encode(), **values}


# The pure parts


def slot(talk_id: int, start: int, end: int, title: str = "") -> Slot:
    return Slot(talk_id, title or f"t{talk_id}", T0 + timedelta(minutes=start), T0 + timedelta(minutes=end))


def test_assess_counts_only_new_overlaps():
    before, after = Span(T0, T0 + timedelta(minutes=20)), Span(T0 + timedelta(minutes=60), T0 + timedelta(minutes=80))
    schedules = {
        1: [slot(2, 70, 90, "B")],  # new clash
        2: [slot(2, 70, 90, "B"), slot(3, 0, 10, "C")],  # new clash with B; C clashed before
        3: [slot(3, 0, 10, "C")],  # clashed before, not after
        4: [slot(4, 80, 100, "D")],  # touches, no clash
    }
    impact = assess(before, after, schedules, stars=5, capacity=4, reaches_phones=True)
    assert (impact.stars, impact.new_overlaps, impact.clashes, impact.over_capacity) == (5, 2, [("B", 2)], 1)
    cancelled = assess(before, Span(after.starts_at, after.ends_at, cancelled=True), schedules, stars=5, capacity=0,
                       reaches_phones=True)
    assert (cancelled.new_overlaps, cancelled.over_capacity) == (0, 0)


async def test_grid_has_a_cell_for_every_talk_and_lanes_for_clashes(fair):
    event = await Event.get(id=fair.id)
    stages = await Stage.filter(event=event).order_by("position")
    talks = await Talk.filter(event=event).prefetch_related("stage")
    clash = next(t for t in talks if t.code == "t-002")
    clash.stage_id = next(t for t in talks if t.code == "t-001").stage_id
    grid = build_grid(event, stages, talks)
    [day] = grid.days
    assert grid.step == 5 and day.rows[0].starts_at.hour == 9 and len(day.rows) == 90
    placed = [cell.talk.code for row in day.rows for cell in row.cells if cell.talk]
    assert sorted(placed) == sorted(t.code for t in talks)
    lanes = {column.stage.code: column.lanes for column in day.columns}
    assert lanes["store-sal"] == 1
    clash.starts_at = next(t for t in talks if t.code == "t-001").starts_at
    clash.ends_at = clash.starts_at + timedelta(minutes=30)
    again = build_grid(event, stages, talks)
    assert {c.stage.code: c.lanes for c in again.days[0].columns}["store-sal"] == 2
    first = again.days[0].rows[3]  # 09:15, when both start
    assert [cell.talk.code for cell in first.cells if cell.talk] == ["t-001", "t-002"]


# The pages


async def test_grid_page_shows_every_talk_with_its_state_in_words(organiser, fair):
    cancelled = await talk(fair, "t-030")
    await cancel_talk(fair.id, cancelled.id, publish=True)
    await Talk.filter(event=fair, code="t-029").update(state=TalkState.DRAFT, published=None)
    page = await organiser.get("/messe13/admin/programme")
    assert page.status_code == 200
    for item in await Talk.filter(event=fair):
        assert f'id="talk-{item.id}"' in page.text
    assert re.search(rf'talk-card--cancelled".*?data-talk="{cancelled.id}"', page.text, re.S)
    assert "✕" not in page.text and "Aflyst</span>" in page.text and "Kladde</span>" in page.text
    assert page.text.count('class="free-cell"') > 150 and 'data-start="2026-11-27T12:00"' in page.text


async def test_preview_counts_stars_new_overlaps_and_seats(organiser, fair):
    await star(fair, {"t-021": range(10), "t-024": [0, 1, 2, 6], "t-044": [3], "t-022": [4], "t-011": [5],
                      "t-031": [6]})
    await Stage.filter(event=fair, code="lyntalescenen").update(capacity=6)
    moved = await talk(fair, "t-021")
    lyntale = await stage(fair, "lyntalescenen")
    preview = await submit(organiser, f"programme/talks/{moved.id}/preview",
                           move(moved, "2026-11-27T11:55", lyntale.id))
    assert preview.status_code == 200
    page = text(preview)
    assert "10 deltagere har stjernemarkeret foredraget." in page
    assert "5 af dem får et nyt sammenfald med et andet foredrag, de har stjernemarkeret" in page
    title_024 = (await talk(fair, "t-024")).title
    assert f"'{title_024}' (4 deltagere)" in page
    assert "Scenen har 6 pladser til 10 stjerner: 4 for få." in page
    assert "Start 27. nov. 2026 10:10 27. nov. 2026 11:55" in page and "Scene Borgerscenen Lyntalescenen" in page
    assert "Gem og send til telefonerne" in page
    assert (await Talk.get(id=moved.id)).starts_at == moved.starts_at  # a preview saves nothing


async def test_a_preview_shows_the_rules_a_move_breaks(organiser, fair):
    moved = await talk(fair, "t-021")
    taken = await talk(fair, "t-023")
    preview = await submit(organiser, f"programme/talks/{moved.id}/preview",
                           move(moved, "2026-11-27T11:10", taken.stage_id))
    assert preview.status_code == 422
    assert f"Overlapper med &#39;{taken.title}&#39; på Borgerscenen kl. 11:10–11:30" in preview.text
    assert "Gem og send til telefonerne" not in preview.text
    bad = await submit(organiser, f"programme/talks/{moved.id}/preview",
                       move(moved, "i morgen", taken.stage_id, duration="2"))
    assert bad.status_code == 422
    assert "Skriv dato og klokkeslæt som 2026-11-27T10:30" in bad.text and "Skal være mindst 5" in bad.text


async def test_saving_a_move_publishes_it_through_the_change_log(organiser, fair):
    moved = await talk(fair, "t-021")
    lyntale = await stage(fair, "lyntalescenen")
    before = (await Event.get(id=fair.id)).last_seq
    saved = await submit(organiser, f"programme/talks/{moved.id}/save",
                         move(moved, "2026-11-27T11:55", lyntale.id, publish="on"))
    assert saved.status_code == 303 and saved.headers["location"] == f"/messe13/admin/programme#talk-{moved.id}"
    [change] = await ScheduleChange.filter(event=fair, seq__gt=before)
    assert change.kind == "moved" and change.talk_id == moved.id
    assert change.after["stage"]["name"] == "Lyntalescenen" and change.after["starts_at"].startswith("2026-11-27T10:55")
    after = await Talk.get(id=moved.id)
    assert after.revision == moved.revision + 1 and after.ends_at - after.starts_at == timedelta(minutes=20)
    entry = await AuditEntry.filter(event=fair, object_type="Talk", object_id=str(moved.id)).first()
    assert entry.actor == "Anne Ærø" and entry.detail["fields"] == ["ends_at", "stage_id", "starts_at"]
    page = await organiser.get(saved.headers["location"])
    assert f"&#39;{moved.title}&#39; er gemt og sendt til deltagernes telefoner" in page.text


async def test_cancel_and_restore(organiser, fair):
    item = await talk(fair, "t-048")
    before = (await Event.get(id=fair.id)).last_seq
    start = "2026-11-27T15:15"
    cancelled = await submit(organiser, f"programme/talks/{item.id}/save",
                             move(item, start, item.stage_id, state=TalkState.CANCELLED, publish="on"))
    assert cancelled.status_code == 303
    item = await talk(fair, "t-048")
    restored = await submit(organiser, f"programme/talks/{item.id}/save",
                            move(item, start, item.stage_id, state=TalkState.PUBLISHED, publish="on"))
    assert restored.status_code == 303
    kinds = [c.kind for c in await ScheduleChange.filter(event=fair, seq__gt=before).order_by("seq")]
    assert kinds == ["cancelled", "added"]
    form = await organiser.get(f"/messe13/admin/programme/talks/{item.id}")
    assert 'value="cancelled"' in form.text and 'value="draft"' not in form.text  # published: no way back to draft


async def test_someone_elses_newer_edit_is_never_overwritten(organiser, fair):
    item = await talk(fair, "t-021")
    opened = move(item, "2026-11-27T12:05", item.stage_id)
    # Bo moves the talk after Anne opened it.
    await move_talk(fair.id, item.id, {"starts_at": item.starts_at + timedelta(minutes=5)}, publish=True,
                    actor="Bo Bøgh")
    refused = await submit(organiser, f"programme/talks/{item.id}/preview", opened)
    assert refused.status_code == 409
    page = text(refused)
    assert "Din ændring af" in page and "er ikke gemt" in page and "Bo Bøgh gemte foredraget" in page
    assert "Start 27. nov. 2026 10:10 27. nov. 2026 10:15" in page
    assert "Slut 27. nov. 2026 10:30 27. nov. 2026 10:35" in page
    saved = await submit(organiser, f"programme/talks/{item.id}/save", opened)
    assert saved.status_code == 409 and "Bo Bøgh gemte foredraget" in saved.text
    now = await Talk.get(id=item.id)
    assert now.starts_at == item.starts_at + timedelta(minutes=5)  # Bo's edit stands
    # Trying again on the newer revision is a new preview, not a save.
    again = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', refused.text))
    assert again["revision"] == str(now.revision) and again["starts_at"] == "2026-11-27T12:05"
    retry = await submit(organiser, f"programme/talks/{item.id}/save", {k: html.unescape(v) for k, v in again.items()
                                                                         if k != "csrf_token"})
    assert retry.status_code == 303
    assert (await Talk.get(id=item.id)).starts_at.astimezone(UTC).hour == 11


async def test_the_api_refuses_a_stale_if_match_after_an_admin_save(organiser, fair, organiser_token):
    item = await talk(fair, "t-022")
    url = f"/messe13/api/talks/{item.id}"
    etag = (await organiser.get(url)).headers["etag"]
    assert etag == f'"{item.revision}"'
    saved = await submit(organiser, f"programme/talks/{item.id}/save", move(item, "2026-11-27T12:05", item.stage_id))
    assert saved.status_code == 303
    stale = await organiser.patch(url, json={"title": "Overskrevet?"}, headers={"If-Match": etag,
                                                                                 **bearer(organiser_token)})
    assert stale.status_code == 412
    assert (await Talk.get(id=item.id)).title == item.title


async def test_capacity_flags_crowded_talks_and_suggests_a_free_larger_stage(organiser, fair):
    await star(fair, {"t-035": range(30)})  # Lyntalescenen 12:45–13:05, 120 seats
    await Stage.filter(event=fair, code="lyntalescenen").update(capacity=20)
    crowded = await talk(fair, "t-035")
    page = await organiser.get("/messe13/admin/programme/capacity")
    body = text(page)
    assert "1 foredrag har flere stjerner end pladser" in body
    # Store Sal (600) and Vaerkstedet are busy at 12:45; Borgerscenen (200) is the smallest that seats 30,
    # but Borgerscenen has t-025 at 12:45 too, and Fællesskabsscenen has t-015: nothing larger is free,
    # so a swap is offered (next test) ...
    assert "Flyt til" not in body and "Byt scene med" in body
    await cancel_talk(fair.id, (await talk(fair, "t-025")).id, publish=True)
    page = await organiser.get("/messe13/admin/programme/capacity")
    assert "Flyt til Borgerscenen (200 pladser) …" in text(page)
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.text.split("Flyt til Borgerscenen")[0]
                           .rsplit("<form", 1)[1]))
    borger = await stage(fair, "borgerscenen")
    assert form["stage_id"] == str(borger.id) and form["starts_at"] == "2026-11-27T12:45"
    preview = await organiser.post(f"/messe13/admin/programme/talks/{crowded.id}/preview",
                                   data={k: html.unescape(v) for k, v in form.items()})
    assert preview.status_code == 200 and "Scenen har 200 pladser til 30 stjerner." in text(preview)
    grid = await organiser.get("/messe13/admin/programme")
    assert "10 flere end pladserne" in grid.text


async def test_publish_the_draft_as_a_named_version(organiser, fair):
    item = await talk(fair, "t-040")
    await update_talk(fair.id, item.id, {"title": "Nyt navn"}, publish=False)
    page = await organiser.get("/messe13/admin/programme")
    assert "1 foredrag har ændringer i kladden" in text(page) and 'value="v1"' in page.text
    published = await submit(organiser, "programme/publish", {"version": "v1", "comment": "Efter frokost"})
    assert published.status_code == 303
    [change] = await ScheduleChange.filter(event=fair, version="v1", kind="updated")
    assert change.after["title"] == "Nyt navn"
    notice = (await organiser.get("/messe13/admin/programme")).text
    assert "Version &#39;v1&#39; er offentliggjort: 1 ændring er sendt" in notice
    again = await submit(organiser, "programme/publish", {"version": "v1"})
    assert again.status_code == 422 and "Versionen &#39;v1&#39; findes allerede" in again.text


async def test_capacity_offers_a_swap_of_stages_when_no_larger_stage_is_free(organiser, fair):
    await star(fair, {"t-035": range(30)})  # Lyntalescenen 12:45–13:05, made 20 seats; every larger stage busy
    await Stage.filter(event=fair, code="lyntalescenen").update(capacity=20)
    crowded, quieter = await talk(fair, "t-035"), await talk(fair, "t-025")
    page = await organiser.get("/messe13/admin/programme/capacity")
    assert f"Byt scene med {quieter.title} på Borgerscenen (200 pladser, 0 stjerner) …" in text(page)
    [link] = re.findall(r'href="([^"]*/capacity/swap\?[^"]*)"', page.text)

    confirm = await organiser.get(html.unescape(link))
    body = text(confirm)
    assert confirm.status_code == 200
    assert f"{crowded.title} 12:45–13:05 Lyntalescenen Borgerscenen 30 200" in body
    assert f"{quieter.title} 12:45–13:05 Borgerscenen Lyntalescenen 0 20" in body
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', confirm.text))
    done = await submit(organiser, "programme/capacity/swap", form)
    assert done.status_code == 303 and done.headers["location"].endswith("/admin/programme/capacity")

    moved, other = await talk(fair, "t-035"), await talk(fair, "t-025")
    assert (moved.stage.code, other.stage.code) == ("borgerscenen", "lyntalescenen")
    assert (moved.published["stage"]["name"], other.published["stage"]["name"]) == ("Borgerscenen", "Lyntalescenen")
    changes = await ScheduleChange.filter(event=fair).order_by("-seq").limit(2)
    assert sorted((c.talk_id, c.kind) for c in changes) == sorted([(moved.id, "restaged"), (other.id, "restaged")])
    after = text(await organiser.get("/messe13/admin/programme/capacity"))
    assert "Scenerne er byttet og sendt til deltagernes telefoner" in after
    assert "Alle foredrag har plads nok til dem, der har stjernemarkeret dem." in after
    assert await AuditEntry.filter(event=fair, action="talk.stages_swapped").count() == 1

    # The same form again: both talks have changed since, so nothing happens.
    stale = await submit(organiser, "programme/capacity/swap", form)
    assert stale.status_code == 409 and "Et af foredragene er ændret" in text(stale)
    assert (await talk(fair, "t-035")).stage.code == "borgerscenen"


async def test_a_swap_is_refused_with_the_reason_and_changes_nothing(organiser, fair):
    first, second = await talk(fair, "t-035"), await talk(fair, "t-025")
    await update_talk(fair.id, second.id, {"title": "Ny titel i kladden"}, publish=False)
    second = await talk(fair, "t-025")
    form = {"talk": str(first.id), "other": str(second.id), "talk_revision": str(first.revision),
            "other_revision": str(second.revision)}
    pending = await submit(organiser, "programme/capacity/swap", form)
    assert pending.status_code == 409
    assert "Ny titel i kladden har ændringer i kladden, som ikke er offentliggjort" in text(pending)

    # A talk whose time on the other stage meets a third talk there: the rule's own message.
    far = await talk(fair, "t-001")
    form = {"talk": str(first.id), "other": str(far.id), "talk_revision": str(first.revision),
            "other_revision": str(far.revision)}
    clash = await submit(organiser, "programme/capacity/swap", form)
    assert clash.status_code == 422 and "Overlapper med" in text(clash)
    assert [(await talk(fair, code)).stage_id for code in ("t-035", "t-025", "t-001")] == [
        first.stage_id, second.stage_id, far.stage_id]
    assert (await organiser.get("/messe13/admin/programme/capacity/swap?talk=x")).status_code == 404
