"""Stands in natural order wherever they are listed, and exhibitor logins shown with their exhibitor."""

from __future__ import annotations

import re

from messe.expo.domain.stands import stand_key
from messe.expo.models import Exhibitor
from messe.people.domain.accounts import create_account
from tests.admin.conftest import PASSWORD

A_STANDS = [f"A{n}" for n in (1, 2, 3, 9, 10, 11, 19, 20)]


def in_order(text: str, stands: list[str], pattern: str) -> bool:
    """Whether ``stands`` appear in ``text`` (each as ``pattern`` with the stand in it) in this order."""
    positions = [re.search(pattern.format(stand=stand), text).start() for stand in stands]
    return positions == sorted(positions)


async def test_stands_sort_naturally_in_the_admin_the_token_form_the_api_and_the_floor_plan(organiser, fair):
    listing = (await organiser.get("/messe13/admin/exhibitors")).text
    assert in_order(listing, A_STANDS, r"<td>{stand}</td>")
    tokens = (await organiser.get("/messe13/admin/tokens")).text
    assert in_order(tokens, A_STANDS, r">{stand} – ")
    paged = []
    for number in range(1, 5):
        answer = await organiser.get("/messe13/api/exhibitors", params={"per_page": 30, "page": number})
        paged += [e["stand"] for e in answer.json()["items"]]
    assert paged[:12] == [f"A{n}" for n in range(1, 13)]
    assert len(paged) == 104 and paged == sorted(paged, key=stand_key)
    plan = (await organiser.get("/messe13/exhibitors/map")).text
    floor = plan[plan.index('class="floorplan'):]
    assert in_order(floor, A_STANDS, r'data-stand="{stand}"')


async def test_an_exhibitor_login_shows_on_its_exhibitor_page(organiser, fair):
    kombit = await Exhibitor.get(event=fair, name="KOMBIT")
    await create_account(fair, "udstiller", PASSWORD, "exhibitor", name="Demo Udstiller", exhibitor=kombit)
    page = (await organiser.get(f"/messe13/admin/exhibitors/{kombit.id}")).text
    assert "Ingen medarbejdere" not in page
    assert "Demo Udstiller" in page and "<td>udstiller</td>" in page and "Stop login for Demo Udstiller" in page
    listing = (await organiser.get("/messe13/admin/exhibitors")).text
    row = listing[listing.index(f"<td>{kombit.stand}</td>"):]
    row = row[:row.index("</tr>")]
    assert row.endswith('<td class="number">1</td>')
