"""The programme rules, as pure functions: each clash is named, with times in Copenhagen."""

from __future__ import annotations

from datetime import UTC, datetime

from messe.programme.domain.rules import Slot, check_programme, check_slot

OPENS = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)  # 09:00 in Copenhagen
CLOSES = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)  # 16:30
TZ = "Europe/Copenhagen"


def slot(talk_id: int, start: str, end: str, stage: int | None = 2, speakers: dict[int, str] | None = None,
         title: str = "") -> Slot:
    day = "2026-11-27T{}:00+01:00"
    return Slot(talk_id=talk_id, title=title or f"Foredrag {talk_id}",
                starts_at=datetime.fromisoformat(day.format(start)), ends_at=datetime.fromisoformat(day.format(end)),
                stage_id=stage, stage_name=f"Scene {stage}" if stage else "", speakers=speakers or {})


def messages(violations) -> list[str]:
    return [v.message for v in violations]


def test_overlap_on_one_stage_names_the_clash_in_local_time():
    other = slot(2, "14:00", "14:30", title="Monopolbruddet")
    violations = check_slot(slot(1, "14:15", "14:45"), [other], OPENS, CLOSES, TZ)
    assert messages(violations) == ["Overlapper med 'Monopolbruddet' på Scene 2 kl. 14:00–14:30"]
    assert violations[0].field == "starts_at"


def test_back_to_back_talks_and_other_stages_are_fine():
    others = [slot(2, "14:00", "14:30"), slot(3, "14:30", "15:00"), slot(4, "14:00", "15:00", stage=3)]
    assert check_slot(slot(1, "13:30", "14:00"), others, OPENS, CLOSES, TZ) == []
    assert check_slot(slot(1, "14:30", "14:30") , [], OPENS, CLOSES, TZ)[0].field == "ends_at"


def test_a_speaker_cannot_be_on_two_stages_at_once():
    other = slot(2, "10:00", "10:45", stage=3, speakers={7: "Åse Ørnbøl"}, title="OS2")
    violations = check_slot(slot(1, "10:30", "11:00", stage=1, speakers={7: "Åse Ørnbøl", 8: "Bo"}), [other],
                            OPENS, CLOSES, TZ)
    assert messages(violations) == ["Åse Ørnbøl taler samtidig i 'OS2' på Scene 3 kl. 10:00–10:45"]
    assert violations[0].field == "speaker_ids"


def test_a_talk_lies_within_the_event_hours_and_ends_after_it_starts():
    early = check_slot(slot(1, "08:30", "09:15"), [], OPENS, CLOSES, TZ)
    assert messages(early) == ["Foredraget skal ligge inden for messens åbningstid kl. 09:00–16:30"]
    late = check_slot(slot(1, "16:15", "16:45"), [], OPENS, CLOSES, TZ)
    assert late[0].field == "ends_at"
    backwards = check_slot(slot(1, "12:00", "11:00"), [], OPENS, CLOSES, TZ)
    assert messages(backwards) == ["Sluttidspunktet skal ligge efter starttidspunktet"]


def test_the_whole_programme_reports_each_clash_once():
    slots = [slot(1, "10:00", "10:30"), slot(2, "10:15", "10:45"), slot(3, "11:00", "11:30")]
    clashes = check_programme(slots, OPENS, CLOSES, TZ)
    assert [(s.talk_id, v.values["title"]) for s, v in clashes] == [(1, "Foredrag 2")]
