"""The programme API: drafts and publishing, the change log, rules as 422, ETags and If-Match."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from messe.programme.models import ScheduleChange, Speaker, Stage, Talk
from tests.conftest import make_token
from tests.programme.conftest import EVENT, changes_since, last_seq


async def _talk_on_stage(fair, stage_code: str = "borgerscenen") -> Talk:
    stage = await Stage.get(event=fair, code=stage_code)
    return await Talk.filter(event=fair, stage=stage).order_by("starts_at").first()


def _local(value: str) -> str:
    """An ISO time in Copenhagen on the fair's day."""
    return f"2026-11-27T{value}:00+01:00"


async def test_anyone_reads_the_published_programme_and_organisers_the_draft(api, fair):
    public = await api.get(f"{EVENT}/api/talks", params={"per_page": 200}, headers={"Authorization": ""})
    assert public.status_code == 200
    talks = public.json()["items"]
    assert len(talks) == await Talk.filter(event=fair).count()
    assert {"stage", "speakers", "sequence"} <= set(talks[0])
    anonymous = await api.get(f"{EVENT}/api/talks", params={"draft": 1}, headers={"Authorization": ""})
    assert anonymous.status_code == 401
    draft = await api.get(f"{EVENT}/api/talks", params={"draft": 1})
    assert draft.status_code == 200 and {"revision", "pending", "published"} <= set(draft.json()["items"][0])
    door = await make_token(fair, "door")
    assert (await api.get(f"{EVENT}/api/talks", params={"draft": 1},
                          headers={"Authorization": f"Bearer {door}"})).status_code == 403


async def test_moving_a_talk_publishes_it_at_once_and_logs_the_change(api, fair):
    talk = await _talk_on_stage(fair)
    since = await last_seq(api)
    new_start = talk.starts_at + timedelta(minutes=5)
    response = await api.patch(f"{EVENT}/api/talks/{talk.id}", json={"starts_at": new_start.isoformat()})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["published"]["starts_at"] == new_start.isoformat()
    assert datetime.fromisoformat(body["ends_at"]) - new_start == talk.ends_at - talk.starts_at  # length kept
    [change] = await changes_since(api, since)
    assert (change["seq"], change["kind"], change["talk_id"]) == (since + 1, "retimed", talk.id)
    assert change["before"]["starts_at"] == talk.starts_at.isoformat().replace("Z", "+00:00")
    assert change["summary"].startswith(f"'{talk.title}' er flyttet til kl. ")
    public = (await api.get(f"{EVENT}/api/talks/{talk.id}", headers={"Authorization": ""})).json()
    assert public["starts_at"] == new_start.isoformat() and public["sequence"] == 1


async def test_a_clash_is_a_422_naming_it_and_writes_nothing(api, fair):
    stage = await Stage.get(event=fair, code="borgerscenen")
    first, second = await Talk.filter(event=fair, stage=stage).order_by("starts_at").limit(2)
    since = await last_seq(api)
    response = await api.patch(f"{EVENT}/api/talks/{second.id}", json={"starts_at": first.starts_at.isoformat()})
    assert response.status_code == 422
    error = response.json()
    assert error["error"].startswith(f"Overlapper med '{first.title}' på Borgerscenen kl. ")
    assert error["fields"][0]["field"] == "starts_at"
    english = await api.patch(f"{EVENT}/api/talks/{second.id}", json={"starts_at": first.starts_at.isoformat()},
                              headers={"Accept-Language": "en"})
    assert english.json()["error"].startswith(f"Overlaps '{first.title}' on Borgerscenen at ")
    outside = await api.patch(f"{EVENT}/api/talks/{second.id}", json={"starts_at": _local("07:00")})
    assert outside.status_code == 422 and "09:00–16:30" in outside.json()["error"]
    assert await last_seq(api) == since
    assert (await Talk.get(id=second.id)).revision == second.revision


async def test_if_match_guards_against_lost_updates(api, fair):
    talk = await _talk_on_stage(fair)
    read = await api.get(f"{EVENT}/api/talks/{talk.id}", params={"draft": 1})
    etag = read.headers["etag"]
    assert (await api.get(f"{EVENT}/api/talks/{talk.id}", params={"draft": 1},
                          headers={"If-None-Match": etag})).status_code == 304
    first = await api.patch(f"{EVENT}/api/talks/{talk.id}", json={"title": "Ny titel"}, headers={"If-Match": etag})
    assert first.status_code == 200 and first.headers["etag"] != etag
    stale = await api.patch(f"{EVENT}/api/talks/{talk.id}", json={"title": "Anden titel"},
                            headers={"If-Match": etag})
    assert stale.status_code == 412
    assert (await Talk.get(id=talk.id)).title == "Ny titel"


async def test_draft_edits_wait_for_a_named_release(api, fair):
    talk = await _talk_on_stage(fair)
    since = await last_seq(api)
    draft = await api.patch(f"{EVENT}/api/talks/{talk.id}", json={"title": "Kladdetitel", "draft": True})
    assert draft.status_code == 200 and draft.json()["pending"] is True
    assert await last_seq(api) == since
    public = (await api.get(f"{EVENT}/api/talks/{talk.id}", headers={"Authorization": ""})).json()
    assert public["title"] == talk.title
    created = await api.post(f"{EVENT}/api/talks", json={
        "title": "Nyt foredrag", "starts_at": _local("16:00"), "ends_at": _local("16:20"),
        "stage_id": talk.stage_id, "draft": True})
    assert created.status_code == 201, created.text
    hidden = await api.get(f"{EVENT}/api/talks/{created.json()['id']}", headers={"Authorization": ""})
    assert hidden.status_code == 404
    release = await api.post(f"{EVENT}/api/publish", json={"version": "v2", "comment": "Eftermiddagen"})
    assert release.status_code == 201, release.text
    assert release.json()["changes"] == 2 and release.json()["seq"] == since + 2
    changes = await changes_since(api, since)
    assert sorted(c["kind"] for c in changes) == ["added", "updated"]
    assert {c["version"] for c in changes} == {"v2"}
    again = await api.post(f"{EVENT}/api/publish", json={"version": "v2"})
    assert again.status_code == 409


async def test_cancel_delete_and_announce(api, fair):
    talk = await _talk_on_stage(fair)
    since = await last_seq(api)
    cancelled = await api.patch(f"{EVENT}/api/talks/{talk.id}", json={"state": "cancelled"})
    assert cancelled.json()["published"]["state"] == "cancelled"
    assert (await api.delete(f"{EVENT}/api/talks/{talk.id}")).status_code == 409
    back_to_draft = await api.patch(f"{EVENT}/api/talks/{talk.id}", json={"state": "draft"})
    assert back_to_draft.status_code == 422
    draft = await api.post(f"{EVENT}/api/talks", json={
        "title": "Aldrig vist", "starts_at": _local("16:00"), "ends_at": _local("16:20"), "draft": True})
    assert (await api.delete(f"{EVENT}/api/talks/{draft.json()['id']}")).status_code == 204
    announced = await api.post(f"{EVENT}/api/announcements",
                               json={"title": "Frokost", "body": "Der er mad i hal B", "level": "urgent"})
    assert announced.status_code == 201
    kinds = [(c["kind"], c["seq"]) for c in await changes_since(api, since)]
    assert kinds == [("cancelled", since + 1), ("announcement", since + 2)]
    assert (await api.post(f"{EVENT}/api/announcements", json={"title": ""})).status_code == 422


async def test_renaming_a_stage_republishes_its_talks(api, fair):
    stage = await Stage.get(event=fair, code="borgerscenen")
    on_stage = await Talk.filter(event=fair, stage=stage).count()
    since = await last_seq(api)
    response = await api.patch(f"{EVENT}/api/stages/{stage.id}", json={"name": "Borgersalen"})
    assert response.status_code == 200
    changes = await changes_since(api, since)
    assert len(changes) == on_stage and {c["kind"] for c in changes} == {"updated"}
    assert {c["talk"]["stage"]["name"] for c in changes} == {"Borgersalen"}
    assert (await api.delete(f"{EVENT}/api/stages/{stage.id}")).status_code == 409
    new = await api.post(f"{EVENT}/api/stages", json={"code": "ny", "name": "Ny scene"})
    assert new.status_code == 201
    assert (await api.post(f"{EVENT}/api/stages", json={"code": "ny", "name": "Igen"})).status_code == 422
    assert (await api.delete(f"{EVENT}/api/stages/{new.json()['id']}")).status_code == 204


async def test_concurrent_changes_get_strictly_increasing_gap_free_seqs(api, fair):
    """On PostgreSQL these transactions really run at once; the event row lock orders them."""
    since = await last_seq(api)
    talks = await Talk.filter(event=fair).order_by("id").limit(6)
    requests = [api.patch(f"{EVENT}/api/talks/{t.id}", json={"title": f"{t.title} (opdateret)"}) for t in talks]
    requests += [api.post(f"{EVENT}/api/announcements", json={"title": f"Meddelelse {i}"}) for i in range(6)]
    responses = await asyncio.gather(*requests)
    assert all(r.status_code in (200, 201) for r in responses), [r.text for r in responses]
    seqs = [c.seq for c in await ScheduleChange.filter(event=fair, seq__gt=since).order_by("seq")]
    assert seqs == list(range(since + 1, since + 13))
    assert await last_seq(api) == since + 12


async def test_changes_since_pages_and_validates(api, fair):
    for i in range(3):
        await api.post(f"{EVENT}/api/announcements", json={"title": f"Nr. {i}"})
    first = (await api.get(f"{EVENT}/api/changes", params={"since": 0, "limit": 2})).json()
    assert [c["seq"] for c in first["items"]] == [1, 2] and first["more"] is True
    rest = (await api.get(f"{EVENT}/api/changes", params={"since": 2})).json()
    assert [c["seq"] for c in rest["items"]] == [3] and rest["more"] is False
    assert (await api.get(f"{EVENT}/api/changes", params={"since": -1})).status_code == 422
    assert (await api.get(f"{EVENT}/api/changes", params={"since": "x"})).status_code == 422
    etag = (await api.get(f"{EVENT}/api/changes", params={"since": 2})).headers["etag"]
    assert (await api.get(f"{EVENT}/api/changes", params={"since": 2},
                          headers={"If-None-Match": etag})).status_code == 304


async def test_public_programme_etag_follows_the_change_log(api, fair):
    anonymous = {"Authorization": ""}
    first = await api.get(f"{EVENT}/api/talks", headers=anonymous)
    etag = first.headers["etag"]
    assert (await api.get(f"{EVENT}/api/talks", headers={**anonymous, "If-None-Match": etag})).status_code == 304
    await api.post(f"{EVENT}/api/announcements", json={"title": "Ny version"})
    assert (await api.get(f"{EVENT}/api/talks", headers={**anonymous, "If-None-Match": etag})).status_code == 200


async def test_bad_input(api, fair):
    talk = await _talk_on_stage(fair)
    url = f"{EVENT}/api/talks/{talk.id}"
    assert (await api.patch(url, json={"title": None})).status_code == 422
    assert (await api.patch(url, json={"starts_at": "2026-11-27T10:00:00"})).status_code == 422  # no zone
    assert (await api.patch(url, json={"stage_id": 999999})).json()["fields"][0]["field"] == "stage_id"
    assert (await api.patch(url, json={"speaker_ids": [999999]})).status_code == 422
    assert (await api.patch(f"{EVENT}/api/talks/99999999999", json={})).status_code == 404
    assert (await api.patch(url, content=b"{", headers={"Content-Type": "application/json"})).status_code == 400
    assert (await api.patch(url, json={"title": "x"}, headers={"If-Match": "nonsense"})).status_code == 412


async def test_a_speaker_only_on_a_draft_talk_is_not_listed(api, fair):
    published = await Talk.filter(event=fair, published__isnull=False).prefetch_related("speakers").first()
    secret = await Speaker.create(event=fair, code="ikke-annonceret", name="Ikke Annonceret Endnu")
    draft = await Talk.create(event=fair, code="kladde-1", title="Hemmelig kladde", starts_at=published.starts_at,
                              ends_at=published.ends_at)
    await draft.speakers.add(secret)
    await published.speakers.add(secret)  # added in the draft of a published talk, not yet published
    listed = await api.get(f"{EVENT}/api/speakers", params={"per_page": 200}, headers={"Authorization": ""})
    assert listed.status_code == 200
    names = {speaker["name"] for speaker in listed.json()["items"]}
    assert "Ikke Annonceret Endnu" not in names
    assert {s["name"] for s in published.published["speakers"]} <= names
