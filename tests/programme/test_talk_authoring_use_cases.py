"""The use cases behind talk authoring (the same ones the API uses): a new talk with a speaker added
on the spot, a draft that stays a draft, deleting only what attendees never saw, where a talk
stands between draft and phones, and what each version changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from messe.common.models import AuditEntry
from messe.common.refusal import Refusal
from messe.programme.domain.editing import (
    cancel_talk,
    create_talk,
    delete_talk,
    move_talk,
    publish_draft,
    update_talk,
)
from messe.programme.domain.publishing import publish_release
from messe.programme.domain.release import Standing, public_state, standing, unpublished
from messe.programme.domain.versions import version_changes
from messe.programme.models import ScheduleChange, ScheduleRelease, Speaker, Stage, Talk, TalkState

FREE = datetime(2026, 11, 27, 14, 50, tzinfo=UTC)  # 15:50 in Copenhagen; Værkstedet is free then


async def fetched(talk_id: int) -> Talk:
    return await Talk.get(id=talk_id).prefetch_related("stage", "track", "speakers")


async def new_values(fair, **values):
    stage = await Stage.get(event=fair, code="vaerkstedet")
    return {"title": "Ny kladde", "starts_at": FREE, "ends_at": FREE + timedelta(minutes=20), "stage_id": stage.id,
            **values}


async def test_a_new_talk_with_a_speaker_added_on_the_spot_is_a_draft_until_published(fair):
    known = await Speaker.get(event=fair, code="sp-046")
    saved = await create_talk(fair.id, await new_values(
        fair, speaker_ids=[known.id], new_speakers=[{"name": "Ida Ny", "organisation": "Aarhus Kommune"}]),
        publish=False, actor="Anne")
    talk = await fetched(saved.talk.id)
    assert saved.changes == [] and talk.published is None
    assert sorted(s.name for s in talk.speakers) == sorted([known.name, "Ida Ny"])
    assert public_state(talk) == TalkState.DRAFT and standing(talk) == Standing.NEXT_VERSION
    created = await Speaker.get(event=fair, name="Ida Ny")
    assert created.organisation == "Aarhus Kommune" and created.code
    entry = await AuditEntry.filter(event=fair).order_by("-id").first()  # one write, one entry
    assert entry.action == "talk.created" and entry.detail["speakers_created"] == [created.code]
    held = await update_talk(fair.id, talk.id, {"state": TalkState.DRAFT}, publish=True)
    assert held.changes == [] and standing(await fetched(talk.id)) == Standing.HELD_BACK


async def test_a_refused_talk_leaves_no_speaker_behind(fair):
    busy = await Speaker.get(event=fair, code="sp-012")  # in the closing debate 15:45–16:30
    with pytest.raises(Refusal) as refused:
        await create_talk(fair.id, await new_values(fair, speaker_ids=[busy.id], new_speakers=[{"name": "Ole Ny"}]),
                          publish=False)
    [violation] = refused.value.problems
    assert violation.field == "speaker_ids" and violation.message.startswith(f"{busy.name} taler samtidig i '")
    assert not await Speaker.filter(event=fair, name="Ole Ny").exists()
    assert not await Talk.filter(event=fair, title="Ny kladde").exists()


async def test_an_edit_of_a_published_talk_waits_in_the_draft_unless_published_now(fair):
    talk = await Talk.get(event=fair, code="t-040")
    first = await update_talk(fair.id, talk.id, {"title": "Kladdetitel"}, publish=False)
    draft = await fetched(talk.id)
    assert first.changes == [] and draft.published["title"] == talk.title
    assert public_state(draft) == TalkState.PUBLISHED and standing(draft) == Standing.PENDING
    second = await publish_draft(fair.id, talk.id)
    assert [c.kind for c in second.changes] == ["updated"]
    assert standing(await fetched(talk.id)) == ""


async def test_a_cancelled_talk_never_published_has_nothing_pending(fair):
    saved = await create_talk(fair.id, await new_values(fair, state=TalkState.CANCELLED), publish=False)
    talk = await fetched(saved.talk.id)
    assert not unpublished(talk) and public_state(talk) == TalkState.DRAFT


async def test_only_a_draft_can_be_deleted(fair):
    saved = await create_talk(fair.id, await new_values(fair), publish=False)
    await delete_talk(fair.id, saved.talk.id, revision=saved.talk.revision, actor="Anne")
    assert not await Talk.filter(id=saved.talk.id).exists()
    published = await Talk.get(event=fair, code="t-001")
    with pytest.raises(Refusal, match="Foredraget er offentliggjort og kan ikke slettes; aflys det i stedet"):
        await delete_talk(fair.id, published.id)


async def test_each_version_lists_its_changes_talk_by_talk(fair):
    renamed, cancelled = await Talk.get(event=fair, code="t-040"), await Talk.get(event=fair, code="t-048")
    added = await create_talk(fair.id, await new_values(fair, title="Helt nyt"), publish=False)
    await update_talk(fair.id, renamed.id, {"title": "Nyt navn"}, publish=False)
    await publish_release(fair.id, "v1")
    await cancel_talk(fair.id, cancelled.id, publish=True)
    await move_talk(fair.id, renamed.id, {"starts_at": renamed.starts_at + timedelta(minutes=5)}, publish=True)
    releases = await ScheduleRelease.filter(event=fair).order_by("seq")
    changes = await ScheduleChange.filter(event=fair).order_by("seq")
    groups = version_changes(releases, changes, fair.timezone)
    assert [(g.version, g.release is not None) for g in groups] == [("v1", False), ("v1", True)]
    since, v1 = groups
    assert [(t.talk_id, [c.kind for c in t.changes]) for t in since.talks] == [
        (cancelled.id, ["cancelled"]), (renamed.id, ["retimed"])]
    assert {t.talk_id: [c.kind for c in t.changes] for t in v1.talks} == {renamed.id: ["retitled"],
                                                                          added.talk.id: ["added"]}
    line = next(t for t in v1.talks if t.talk_id == renamed.id).changes[0].line
    assert line.text == f"'{renamed.title}' hedder nu 'Nyt navn'"
    assert version_changes([], [], fair.timezone) == []
