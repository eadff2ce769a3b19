"""The app's pure domain logic: "Nu" and "Næste", overlaps among stars, search, the time index,
and the calendar feed's address."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from messe.common.models import Event
from messe.people.domain.calendar_feed import FeedHolder, feed_holder, feed_token
from messe.programme.domain.now_next import now_and_next
from messe.programme.domain.overlaps import overlaps
from messe.programme.domain.programme import Programme
from messe.programme.domain.search import Search


def talk(talk_id: int, start: str, end: str, stage: int | None = 1, state: str = "published", **extra) -> dict:
    return {"id": talk_id, "title": f"Foredrag {talk_id}", "starts_at": f"2026-11-27T{start}:00+00:00",
            "ends_at": f"2026-11-27T{end}:00+00:00", "state": state, "speakers": [],
            "stage": {"id": stage, "name": f"Scene {stage}"} if stage else None, "track": None, **extra}


def at(clock: str) -> datetime:
    return datetime.fromisoformat(f"2026-11-27T{clock}:00+00:00").astimezone(UTC)


PROGRAMME = [talk(1, "09:00", "09:45"), talk(2, "09:00", "09:30", stage=2), talk(3, "09:30", "10:00", stage=2),
             talk(4, "10:00", "10:30"), talk(5, "10:00", "10:20", stage=2, state="cancelled"),
             talk(6, "10:30", "11:00", stage=2)]


def ids(talks: list[dict]) -> list[int]:
    return [t["id"] for t in talks]


def test_now_is_what_runs_and_next_is_the_next_talk_on_each_stage():
    early = now_and_next(PROGRAMME, at("08:00"))
    assert ids(early.now) == [] and ids(early.next) == [1, 2]
    assert ids(now_and_next(PROGRAMME, at("09:00")).now) == [1, 2]
    middle = now_and_next(PROGRAMME, at("09:40"))
    assert ids(middle.now) == [1, 3] and ids(middle.next) == [4, 6]  # the cancelled talk 5 is on nowhere
    late = now_and_next(PROGRAMME, at("11:00"))
    assert late.now == [] and late.next == [] and late.key == ((), ())


def test_overlaps_among_stars_leave_cancelled_talks_and_touching_talks_out():
    found = overlaps(PROGRAMME)
    assert {k: ids(v) for k, v in found.items()} == {1: [2, 3], 2: [1], 3: [1]}
    assert overlaps([talk(1, "09:00", "10:00"), talk(2, "10:00", "11:00")]) == {}


def test_search_matches_every_word_in_what_the_list_shows_and_filters_by_track_and_stage():
    keynote = talk(1, "09:00", "09:45", title="Åbningskeynote om data", track={"id": 7, "name": "Plenum"},
                   speakers=[{"name": "Mette Lund", "organisation": "Digitaliseringsstyrelsen"}])
    assert Search.of("åbningskeynote DIGITALISERINGSSTYRELSEN").matches(keynote)
    assert not Search.of("keynote velfærd").matches(keynote)
    assert Search.of("plenum scene 1", track_id=7, stage_id=1).matches(keynote)
    assert not Search.of(track_id=8).matches(keynote) and not Search.of(stage_id=2).matches(keynote)
    assert not Search().active and not Search.of(" ").active
    assert Search.of(stage_id=1).active


def test_search_also_finds_words_of_the_abstract():
    talk_with_abstract = talk(2, "10:00", "10:30", abstract="Sådan bruger Aarhus Kommune MitID Erhverv",
                              speakers=[{"name": "Jens Holm"}])
    assert Search.of("mitid aarhus").matches(talk_with_abstract)
    assert not Search.of("mitid odense").matches(talk_with_abstract)
    assert Search.of("jens").matches(talk_with_abstract)  # a speaker without an organisation


def test_the_time_index_has_the_first_slot_of_each_hour_in_the_events_time_zone():
    # 08:00, 08:30 and 09:00 UTC are 09:00, 09:30 and 10:00 in Copenhagen: two hours, two links.
    slots = [talk(1, "08:00", "08:30"), talk(2, "08:30", "09:00"), talk(3, "08:30", "09:00", stage=2),
             talk(4, "09:00", "09:30"), talk(5, "10:45", "11:00")]
    event = Event(name="Messe", slug="m", timezone="Europe/Copenhagen", starts_at=at("08:00"), ends_at=at("11:00"))
    hours = Programme(event=event, stages=[], tracks=[], talks=slots).hours()
    assert [(place, start.astimezone(ZoneInfo("Europe/Copenhagen")).strftime("%H:%M")) for place, start in hours] \
        == [(1, "09:00"), (3, "10:00"), (4, "11:45")]


def test_the_feed_address_names_the_attendee_and_cannot_be_guessed():
    holder = FeedHolder(42, 3)
    token = feed_token("hemmelig", "messe13", holder)
    assert token.startswith("42-3-") and feed_holder("hemmelig", "messe13", token) == holder
    assert feed_holder("hemmelig", "messe14", token) is None  # another event
    assert feed_holder("en anden", "messe13", token) is None  # another server secret
    assert feed_holder("hemmelig", "messe13", "43" + token[2:]) is None
    assert feed_holder("hemmelig", "messe13", "42-4" + token[4:]) is None  # a later session generation
    assert feed_holder("hemmelig", "messe13", "x" * 300) is None
