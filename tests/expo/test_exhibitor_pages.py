"""The public exhibitor list and the floor plan (on its own page, tests/expo/test_hall.py)."""

from __future__ import annotations

import re


async def test_exhibitor_list_searches_and_highlights_stand_on_plan(client, fair):
    page = await client.get("/messe13/exhibitors")
    assert page.status_code == 200
    assert page.text.count('class="exhibitor') >= 104
    assert 'href="/messe13/exhibitors/map"' in page.text
    found = await client.get("/messe13/exhibitors", params={"q": "magenta"})
    assert re.search(r'tabindex="-1">\s*<h2 class="exhibitor__name"><a [^>]*>Magenta', found.text)
    assert re.search(r'tabindex="-1" hidden>\s*<h2 class="exhibitor__name"><a [^>]*>KMD', found.text)  # for the phone
    chosen = await client.get("/messe13/exhibitors/map", params={"stand": "A1"})
    assert "floorplan__stand--chosen" in chosen.text
    assert "stand A1 er fremhævet" in chosen.text


async def test_exhibitor_page_in_english(client, fair):
    page = await client.get("/messe13/exhibitors/map?lang=en")
    assert "Floor plan of Hal A" in page.text and '<html lang="en">' in page.text
