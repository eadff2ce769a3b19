"""Seeding a database that already holds the fair: nothing published is rewound, a move of the
fair's date is explicit and reaches phones through the change log, and the demo's stars."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from messe.common.models import AuditEntry, Event
from messe.people.models import Attendee, Bookmark
from messe.programme.models import Talk
from messe.seeding import DateConflict, plan_stars, seed
from tests.programme.conftest import EVENT, changes_since, last_seq

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


async def _public(api, talk_id: int) -> dict:
    return (await api.get(f"{EVENT}/api/talks/{talk_id}", headers={"Authorization": ""})).json()


async def test_a_phone_open_across_a_reseed_still_applies_a_later_cancellation(api, fair):
    talk = await Talk.filter(event=fair).order_by("starts_at").first()
    moved = await api.patch(f"{EVENT}/api/talks/{talk.id}",
                            json={"starts_at": (talk.starts_at + timedelta(minutes=5)).isoformat()})
    assert moved.status_code == 200, moved.text
    on_the_phone = await _public(api, talk.id)  # what an open phone holds after that change
    assert on_the_phone["sequence"] == 1
    since = await last_seq(api)

    report = await seed(attendee_limit=40)

    assert not report.created and report.moved_from is None and report.changes == []
    assert report.added.talks == report.added.attendees == report.added.exhibitors == 0
    after_reseed = await _public(api, talk.id)
    assert after_reseed["sequence"] >= on_the_phone["sequence"]
    assert after_reseed["starts_at"] == on_the_phone["starts_at"]  # the organiser's move is kept
    assert await last_seq(api) == since
    assert (await Event.get(id=fair.id)).starts_at == fair.starts_at

    cancelled = await api.patch(f"{EVENT}/api/talks/{talk.id}", json={"state": "cancelled"})
    assert cancelled.status_code == 200, cancelled.text
    [change] = await changes_since(api, since)
    assert change["kind"] == "cancelled"
    # The phone takes a talk whose sequence is not below the one it holds (static/js/app/talks.js).
    assert change["talk"]["sequence"] > on_the_phone["sequence"]


async def test_seeding_on_another_day_is_refused_unless_the_move_is_asked_for(api, fair):
    since = await last_seq(api)
    with pytest.raises(DateConflict) as refused:
        await seed(attendee_limit=40, on_date=date(2026, 12, 4))
    assert str(refused.value) == ("Messen ligger allerede den 2026-11-27; brug --move-date for at flytte den "
                                  "til 2026-12-04 (telefonerne får besked)")
    assert (await Event.get(id=fair.id)).starts_at == fair.starts_at
    assert await last_seq(api) == since


async def test_moving_the_fair_moves_every_talk_and_tells_the_phones(api, fair):
    talks = {t.id: t for t in await Talk.filter(event=fair)}
    before = {t["id"]: t for t in (await api.get(f"{EVENT}/api/talks", params={"per_page": 200})).json()["items"]}
    since = await last_seq(api)

    report = await seed(attendee_limit=40, on_date=date(2026, 12, 4), move_date=True, actor="messe seed")

    event = await Event.get(id=fair.id)
    local = event.starts_at.astimezone(COPENHAGEN)
    assert (local.date(), local.hour, local.minute) == (date(2026, 12, 4), 9, 0)
    assert report.moved_from == date(2026, 11, 27) and len(report.changes) == len(talks)
    changes = await changes_since(api, since)
    assert len(changes) == len(talks) and {c["kind"] for c in changes} == {"retimed"}
    for change in changes:
        old, new = before[change["talk_id"]], change["talk"]
        assert new["sequence"] == old["sequence"] + 1
        assert new["title"] == old["title"] and new["stage"] == old["stage"]
    for talk in await Talk.filter(event=fair):
        assert talk.starts_at - talks[talk.id].starts_at == timedelta(days=7)
        assert talk.revision == talks[talk.id].revision + 1
    [entry] = await AuditEntry.filter(event=fair, action="event.moved")
    assert entry.actor == "messe seed" and entry.detail["before"] == "2026-11-27"
    assert entry.detail["after"] == "2026-12-04"
    again = await seed(attendee_limit=40, on_date=date(2026, 12, 4))
    assert again.moved_from is None and again.changes == []


async def test_a_talk_missing_from_a_followed_fair_is_added_through_the_change_log(api, fair):
    missing = await Talk.get(event=fair, code="t-048")
    await missing.delete()
    since = await last_seq(api)

    report = await seed(attendee_limit=45)

    assert (report.added.talks, report.added.attendees) == (1, 5)
    [change] = await changes_since(api, since)
    assert change["kind"] == "added" and change["talk"]["title"] == missing.title
    assert change["talk"]["starts_at"] == missing.starts_at.isoformat().replace("Z", "+00:00")


async def test_the_demo_seeds_stars_keynotes_most(empty_db):
    report = await seed(attendee_limit=300, stars=True)

    assert report.added.stars == report.totals.stars > 0
    per_attendee = {}
    for attendee_id in await Bookmark.filter(talk__event=report.event).values_list("attendee_id", flat=True):
        per_attendee[attendee_id] = per_attendee.get(attendee_id, 0) + 1
    assert 0.7 * 300 <= len(per_attendee) <= 0.9 * 300  # most attendees star something
    assert set(per_attendee.values()) <= set(range(2, 8))  # a handful each
    counts = {}
    for talk_id in await Bookmark.filter(talk__event=report.event).values_list("talk_id", flat=True):
        counts[talk_id] = counts.get(talk_id, 0) + 1
    keynotes = [t.id for t in await Talk.filter(event=report.event, track__code="plenum")]
    others = [n for talk_id, n in counts.items() if talk_id not in keynotes]
    assert min(counts.get(k, 0) for k in keynotes) > 2 * sum(others) / len(others)
    again = await seed(attendee_limit=300, stars=True)
    assert again.added.stars == 0 and again.totals.stars == report.totals.stars
    ids = await Attendee.filter(event=report.event).order_by("id").values_list("id", flat=True)
    talks = [(t.id, t.track.code) for t in await Talk.filter(event=report.event).select_related("track")]
    params = {"seed": 5, "share": 0.8, "per_attendee": [2, 7], "track_weights": {"plenum": 8}}
    assert plan_stars(params, ids, talks) == plan_stars(params, ids, talks)
