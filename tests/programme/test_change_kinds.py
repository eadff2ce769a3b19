"""What kind of change attendees see, from the snapshot before and after."""

from __future__ import annotations

from messe.programme.domain.changelog import classify

BASE = {"id": 1, "code": "T1", "title": "OS2", "abstract": "", "language": "da",
        "starts_at": "2026-11-27T09:00:00+00:00", "ends_at": "2026-11-27T09:30:00+00:00", "state": "published",
        "stage": {"id": 1, "code": "a", "name": "Store Sal", "hall": "A"}, "track": None, "speakers": [],
        "sequence": 0, "changed_at": "2026-11-26T12:00:00+00:00"}


def changed(**values):
    return {**BASE, **values, "sequence": 1, "changed_at": "2026-11-27T08:00:00+00:00"}


STAGE_2 = {"id": 2, "code": "b", "name": "Scene 2", "hall": "B"}
LATER = {"starts_at": "2026-11-27T13:00:00+00:00", "ends_at": "2026-11-27T13:30:00+00:00"}


def test_kinds():
    assert classify(None, BASE) == "added"
    assert classify(BASE, changed(**LATER)) == "retimed"
    assert classify(BASE, changed(stage=STAGE_2)) == "restaged"
    assert classify(BASE, changed(stage=STAGE_2, **LATER)) == "moved"
    assert classify(BASE, changed(state="cancelled")) == "cancelled"
    assert classify(changed(state="cancelled"), BASE) == "added"
    assert classify(BASE, changed(title="OS2 i dag")) == "updated"


def test_bookkeeping_alone_is_no_change():
    assert classify(BASE, changed()) is None
    assert classify(None, changed(state="cancelled")) is None
    assert classify(BASE, None) is None
