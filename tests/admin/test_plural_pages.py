"""Admin pages say "1 stjerne" / "1 star", not "1 stjerner" (the forms themselves: tests/test_i18n_plurals.py)."""

from __future__ import annotations

from messe.people.models import Attendee, Bookmark
from messe.programme.models import Talk


async def test_a_talk_with_one_star_says_so_in_both_languages(organiser, fair):
    talk = await Talk.filter(event=fair).order_by("starts_at").first()
    await Bookmark.create(attendee=await Attendee.filter(event=fair).first(), talk=talk)
    danish = (await organiser.get("/messe13/admin/programme")).text
    assert "1 stjerne<" in danish or "1 stjerne " in danish
    assert "1 stjerner" not in danish
    english = (await organiser.get("/messe13/admin/programme?lang=en")).text
    assert "1 star" in english and "1 stars" not in english
