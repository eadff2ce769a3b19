"""The public exhibitor list and floor plan."""

from __future__ import annotations

import re


async def test_exhibitor_list_searches_and_highlights_stand_on_plan(client, fair):
    page = await client.get("/messe13/exhibitors")
    assert page.status_code == 200
    assert page.text.count('class="exhibitor') >= 104
    assert len(re.findall(r'<figure class="floorplan"', page.text)) == 3
    found = await client.get("/messe13/exhibitors", params={"q": "magenta"})
    assert re.search(r'tabindex="-1">\s*<h2 class="exhibitor__name">Magenta', found.text)
    assert re.search(r'tabindex="-1" hidden>\s*<h2 class="exhibitor__name">KMD', found.text)  # kept for the phone
    chosen = await client.get("/messe13/exhibitors", params={"stand": "A1"})
    assert "floorplan__stand--chosen" in chosen.text
    assert "stand A1 er fremhævet" in chosen.text


async def test_exhibitor_page_in_english(client, fair):
    page = await client.get("/messe13/exhibitors?lang=en")
    assert "Floor plan" in page.text and '<html lang="en">' in page.text
