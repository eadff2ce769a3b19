"""Authoring talks in the admin: creating one (speakers chosen or added on the spot), the programme
rules word for word, drafts that tell the truth, editing a published talk through the impact
preview, deleting a draft, and the versions page."""

from __future__ import annotations

import html
import re

from messe.common.models import AuditEntry, Event
from messe.programme.domain.moves import local_start, minutes
from messe.programme.domain.publishing import publish_release
from messe.programme.models import ScheduleChange, Speaker, Stage, Talk, TalkState
from tests.admin.conftest import submit
from tests.admin.test_programme_editor import text


async def new_talk(fair, **values: str) -> dict[str, str]:
    """The new-talk form filled in: 20 minutes in Værkstedet at 15:50, where nothing else is."""
    stage = await Stage.get(event=fair, code="vaerkstedet")
    return {"title": "Data på tværs af kommuner", "abstract": "Hvordan deler vi data sikkert?", "language": "da",
            "track_id": "", "speaker_ids": "", "starts_at": "2026-11-27T15:50", "duration": "20",
            "stage_id": str(stage.id), "state": "published", **values}


async def current_form(organiser, fair, item: Talk, **values: str) -> dict[str, str]:
    """The talk page's form as the talk is now (with its revision and what the organiser saw),
    changed by ``values``."""
    talk = await Talk.get(id=item.id).prefetch_related("speakers")
    form = await organiser.get(f"/messe13/admin/programme/talks/{talk.id}")
    seen = dict(re.findall(r'<input type="hidden" name="(revision|seen)" value="([^"]*)">', form.text))
    return {"title": talk.title, "abstract": talk.abstract, "language": talk.language, "track_id": str(talk.track_id),
            "speaker_ids": ["", *(str(s.id) for s in talk.speakers)],
            "starts_at": local_start(fair, talk.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "duration": str(minutes(talk.starts_at, talk.ends_at)), "stage_id": str(talk.stage_id),
            "state": talk.state, **{k: html.unescape(v) for k, v in seen.items()}, **values}


async def grid_card(organiser, talk_id: int) -> str:
    page = (await organiser.get("/messe13/admin/programme")).text
    card = re.search(rf'<div id="talk-{talk_id}" class="(talk-card[^"]*)".*?</div>', page, re.S)
    return card.group(1) + " " + " ".join(re.sub(r"<[^>]+>", " ", card.group(0)).split())


async def test_a_new_talk_is_a_draft_until_published(organiser, fair):
    form = await organiser.get("/messe13/admin/programme/talks/new")
    assert form.status_code == 200
    for label in ("Titel", "Resumé", "Sprog", "Spor", "Talere", "Ny talers navn", "Start", "Varighed i minutter",
                  "Scene", "Offentliggør nu"):
        assert f">{label}" in form.text
    known = await Speaker.get(event=fair, code="sp-046")  # speaks at 14:50, free at 15:50
    before = (await Event.get(id=fair.id)).last_seq
    created = await organiser.post("/messe13/admin/programme/talks/new", data={
        **await new_talk(fair), "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1),
        "speaker_ids": ["", str(known.id)], "new_speaker_name": "Ida Ny", "new_speaker_organisation": "Aarhus Kommune"})
    assert created.status_code == 303
    talk = await Talk.get(event=fair, title="Data på tværs af kommuner").prefetch_related("speakers")
    assert created.headers["location"] == f"/messe13/admin/programme#talk-{talk.id}"
    assert talk.published is None and sorted(s.name for s in talk.speakers) == sorted([known.name, "Ida Ny"])
    assert (await Speaker.get(event=fair, name="Ida Ny")).organisation == "Aarhus Kommune"
    assert (await Event.get(id=fair.id)).last_seq == before  # nothing reached the phones
    page = await organiser.get(created.headers["location"])
    assert "&#39;Data på tværs af kommuner&#39; er oprettet som kladde" in page.text
    card = await grid_card(organiser, talk.id)
    assert "talk-card--draft" in card and "Kladde" in card and "Med i næste version" in card
    assert "Offentliggjort" not in card
    edit = text(await organiser.get(f"/messe13/admin/programme/talks/{talk.id}"))
    assert "Status Kladde · Med i næste version" in edit and "aldrig offentliggjort" not in edit
    assert "Deltagerne ser Intet endnu" in edit and "Slet kladden" in edit
    entry = await AuditEntry.filter(event=fair, object_type="Talk", object_id=str(talk.id)).first()
    assert entry.action == "talk.created" and entry.actor == "Anne Ærø"
    # Publishing the next version takes the draft along.
    release = await publish_release(fair.id, "v1")
    assert [(c.kind, c.talk_id) for c in release.changes] == [("added", talk.id)]
    assert "talk-card--published" in await grid_card(organiser, talk.id)


async def test_a_new_talk_published_now_reaches_the_phones(organiser, fair):
    before = (await Event.get(id=fair.id)).last_seq
    created = await submit(organiser, "programme/talks/new", await new_talk(fair, publish="on"))
    assert created.status_code == 303
    [change] = await ScheduleChange.filter(event=fair, seq__gt=before)
    assert change.kind == "added" and change.after["title"] == "Data på tværs af kommuner"
    held_back = await submit(organiser, "programme/talks/new", await new_talk(fair, state="draft", publish="on",
                                                                               starts_at="2026-11-27T16:10"))
    assert held_back.status_code == 422
    assert "Et foredrag, der holdes tilbage, kan ikke offentliggøres; vælg I programmet" in held_back.text


async def test_the_programme_rules_apply_with_their_exact_messages(organiser, fair):
    talks = {t.code: t for t in await Talk.filter(event=fair, code__in=["t-010", "t-041"])}
    lyntale = await Stage.get(event=fair, code="lyntalescenen")
    clash = await submit(organiser, "programme/talks/new", await new_talk(fair, starts_at="2026-11-27T15:20",
                                                                          stage_id=str(lyntale.id)))
    assert clash.status_code == 422
    assert f"Overlapper med &#39;{talks['t-041'].title}&#39; på Lyntalescenen kl. 15:15–15:35" in clash.text
    late = await submit(organiser, "programme/talks/new", await new_talk(fair, starts_at="2026-11-27T16:20",
                                                                         duration="30"))
    assert late.status_code == 422
    assert "Foredraget skal ligge inden for messens åbningstid kl. 09:00–16:30" in late.text
    assert 'href="#f-duration"' in late.text  # the summary links to the length, which the form asks for
    speaker = await Speaker.get(event=fair, code="sp-012")
    busy = await submit(organiser, "programme/talks/new", {**await new_talk(fair, starts_at="2026-11-27T16:00"),
                                                          "speaker_ids": str(speaker.id), "new_speaker_name": "Ole"})
    assert busy.status_code == 422
    assert (f"{speaker.name} taler samtidig i &#39;{talks['t-010'].title}&#39; på Store Sal kl. 15:45–16:30"
            in busy.text)
    assert 'value="Data på tværs af kommuner"' in busy.text  # the organiser's values stay in the form
    empty = await submit(organiser, "programme/talks/new", await new_talk(fair, title=""))
    assert empty.status_code == 422 and "Skal udfyldes" in empty.text
    assert not await Talk.filter(event=fair, title="Data på tværs af kommuner").exists()
    assert not await Speaker.filter(event=fair, name="Ole").exists()  # refused as a whole


async def test_editing_a_published_talk_previews_and_keeps_edits_in_the_draft(organiser, fair):
    item = await Talk.get(event=fair, code="t-040").prefetch_related("stage", "speakers")
    form = await organiser.get(f"/messe13/admin/programme/talks/{item.id}")
    values = dict(re.findall(r'<input type="hidden" name="(revision|seen)" value="([^"]*)">', form.text))
    edit = {"title": "Ny titel", "abstract": item.abstract, "language": item.language, "track_id": str(item.track_id),
            "speaker_ids": ["", *(str(s.id) for s in item.speakers)], "starts_at": "2026-11-27T14:50",
            "duration": "20", "stage_id": str(item.stage_id), "state": "published",
            **{k: html.unescape(v) for k, v in values.items()}}
    preview = await submit(organiser, f"programme/talks/{item.id}", edit)
    assert preview.status_code == 200
    page = text(preview)
    assert f"Titel {item.title} Ny titel" in page and "Gem kladden" in page
    assert (await Talk.get(id=item.id)).title == item.title  # a preview saves nothing
    before = (await Event.get(id=fair.id)).last_seq
    saved = await submit(organiser, f"programme/talks/{item.id}/save", edit)
    assert saved.status_code == 303
    draft = await Talk.get(id=item.id)
    assert draft.title == "Ny titel" and draft.published["title"] == item.title
    assert (await Event.get(id=fair.id)).last_seq == before
    card = await grid_card(organiser, item.id)
    assert "talk-card--published" in card and "Offentliggjort" in card and "Upublicerede ændringer" in card
    # Ticked "Offentliggør nu": the preview leads with sending it to the phones.
    edit["revision"] = str(draft.revision)
    preview = await submit(organiser, f"programme/talks/{item.id}", {**edit, "title": "Endnu en titel",
                                                                     "publish": "on"})
    assert preview.status_code == 200
    assert re.search(r'name="publish" value="on" class="button">Gem og send til telefonerne', preview.text)
    sent = await submit(organiser, f"programme/talks/{item.id}/save", {**edit, "title": "Endnu en titel",
                                                                      "publish": "on"})
    assert sent.status_code == 303
    [change] = await ScheduleChange.filter(event=fair, seq__gt=before)
    assert change.kind == "updated" and change.after["title"] == "Endnu en titel"
    assert "Upublicerede ændringer" not in await grid_card(organiser, item.id)


async def test_the_form_sent_unchanged_with_publish_now_sends_the_waiting_draft(organiser, fair):
    item = await Talk.get(event=fair, code="t-040")
    edited = {"title": "Ny titel"}
    await submit(organiser, f"programme/talks/{item.id}/save", await current_form(organiser, fair, item, **edited))
    before = (await Event.get(id=fair.id)).last_seq
    unchanged = await current_form(organiser, fair, item, **edited)
    kept = await submit(organiser, f"programme/talks/{item.id}/save", unchanged)
    assert "&#39;Ny titel&#39; er uændret" in (await organiser.get(kept.headers["location"])).text
    sent = await submit(organiser, f"programme/talks/{item.id}/save", {**unchanged, "publish": "on"})
    assert "&#39;Ny titel&#39; er gemt og sendt til deltagernes telefoner" in (
        await organiser.get(sent.headers["location"])).text
    [change] = await ScheduleChange.filter(event=fair, seq__gt=before)
    assert change.kind == "updated" and change.after["title"] == "Ny titel"
    entry = await AuditEntry.filter(event=fair, object_type="Talk", object_id=str(item.id)).order_by("-id").first()
    assert entry.action == "talk.updated" and entry.detail["fields"] == [] and entry.detail["published"] is True
    assert "Upublicerede ændringer" not in await grid_card(organiser, item.id)


async def test_a_draft_can_be_deleted_and_a_published_talk_cannot(organiser, fair):
    await submit(organiser, "programme/talks/new", await new_talk(fair, state="draft"))
    draft = await Talk.get(event=fair, title="Data på tværs af kommuner")
    assert "Holdes tilbage" in await grid_card(organiser, draft.id)
    deleted = await submit(organiser, f"programme/talks/{draft.id}/delete", {"revision": str(draft.revision)})
    assert deleted.status_code == 303 and not await Talk.filter(id=draft.id).exists()
    notice = await organiser.get(deleted.headers["location"])
    assert "Kladden &#39;Data på tværs af kommuner&#39; er slettet" in notice.text
    published = await Talk.get(event=fair, code="t-001")
    form = await organiser.get(f"/messe13/admin/programme/talks/{published.id}")
    assert "Slet kladden" not in form.text
    refused = await submit(organiser, f"programme/talks/{published.id}/delete", {"revision": str(published.revision)})
    assert refused.status_code == 303 and await Talk.filter(id=published.id).exists()
    page = await organiser.get(refused.headers["location"])
    assert "Foredraget er offentliggjort og kan ikke slettes; aflys det i stedet" in page.text


async def test_the_versions_page_shows_what_each_version_changed_talk_by_talk(organiser, fair):
    renamed = await Talk.get(event=fair, code="t-040")
    moved = await Talk.get(event=fair, code="t-048")
    await submit(organiser, "programme/talks/new", await new_talk(fair, title="Helt nyt"))
    edit = await Talk.get(id=renamed.id)
    await submit(organiser, f"programme/talks/{edit.id}/save", {"title": "Nyt navn", "starts_at": "2026-11-27T14:50",
                                                                 "duration": "20", "stage_id": str(edit.stage_id),
                                                                 "state": "published", "revision": str(edit.revision)})
    await publish_release(fair.id, "v2", "Efter frokost")
    await submit(organiser, f"programme/talks/{moved.id}/save", {
        "starts_at": "2026-11-27T16:00", "duration": "30", "stage_id": str(moved.stage_id), "state": "cancelled",
        "revision": str(moved.revision), "publish": "on"})
    page = await organiser.get("/messe13/admin/programme/versions")
    assert page.status_code == 200
    words = text(page)
    after, version = words.index("Sendt med det samme efter version v2"), words.index("Version v2")
    assert after < version  # the newest first
    assert f"{moved.title} Aflyst: '{moved.title}' er aflyst" in words[after:version]
    assert "Efter frokost" in words[version:]
    assert "Helt nyt Ny: 'Helt nyt' er på programmet: Værkstedet kl. 15:50–16:10" in words[version:]
    assert f"Nyt navn Ny titel: '{renamed.title}' hedder nu 'Nyt navn'" in words[version:]
    english = text(await organiser.get("/messe13/admin/programme/versions?lang=en"))
    assert "Versions and changes" in english and "Version v2" in english and "New title" in english


async def test_talk_pages_in_english(organiser, fair):
    item = await Talk.get(event=fair, code="t-001")
    form = text(await organiser.get("/messe13/admin/programme/talks/new?lang=en"))
    assert "New talk" in form and "Publish now" in form and "Add a new speaker" in form
    edit = text(await organiser.get(f"/messe13/admin/programme/talks/{item.id}?lang=en"))
    assert f"Edit talk: {item.title}" in edit and "Status Published" in edit
    assert (await Talk.get(id=item.id)).state == TalkState.PUBLISHED


async def test_bad_input_is_a_clear_422_never_a_500(organiser, fair):
    item = await Talk.get(event=fair, code="t-001")
    for path in ("programme/talks/new", f"programme/talks/{item.id}"):
        for bad in ({"track_id": str(2**63)}, {"stage_id": str(2**63)}, {"speaker_ids": "abc"},
                    {"duration": "ti"}, {"language": "fr"}):
            answer = await submit(organiser, path, {**await new_talk(fair), "revision": str(item.revision), **bad})
            assert answer.status_code == 422, (path, bad)
            assert "Ret venligst følgende" in answer.text
    unknown = await submit(organiser, "programme/talks/new", {**await new_talk(fair), "track_id": "999999",
                                                             "speaker_ids": "999998"})
    assert unknown.status_code == 422
    assert "Sporet findes ikke" in unknown.text and "Ukendte talere: 999998" in unknown.text
    assert (await organiser.get("/messe13/admin/programme/talks/999999")).status_code == 404
