"""A change's one line in the reader's language: the words in it (a talk without a stage) are
translated with it, the data (titles, stage names) never."""

from __future__ import annotations

from messe.programme.domain.changelog import Kind
from messe.programme.domain.summary import describe
from messe.web.templates import _translator

TALK = {"title": "Bølgeplanen", "starts_at": "2026-11-27T09:00:00+00:00", "ends_at": "2026-11-27T09:30:00+00:00",
        "stage": {"id": 2, "name": "Scene 2"}}


def test_a_talk_taken_off_its_stage_is_said_to_have_no_stage_in_either_language():
    line = describe(Kind.RESTAGED, TALK, {**TALK, "stage": None}, None, "Europe/Copenhagen")
    assert _translator("da")(line.template, **line.values) == "'Bølgeplanen' er flyttet til ingen scene (var Scene 2)"
    assert _translator("en")(line.template, **line.values) == "'Bølgeplanen' has moved to no stage (was Scene 2)"


def test_a_stage_named_like_the_word_is_data_and_stays_as_it_is():
    line = describe(Kind.RESTAGED, TALK, {**TALK, "stage": {"id": 3, "name": "ingen scene"}}, None, "Europe/Copenhagen")
    assert _translator("en")(line.template, **line.values) == "'Bølgeplanen' has moved to ingen scene (was Scene 2)"
