"""The hall on a phone: the map first on its own page, zoomed by buttons and keys with every stand a
target of at least 44 px; an exhibitor's page leads to its stand on the map; a stand saved there is
highlighted on the map and listed in "Mit program", on the server for a signed-in attendee (so on
their other devices too) and merged from a phone that saved it before signing in. axe-clean at
390 px and on a laptop."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.accessibility import axe_violations, focused_node
from tests.app.conftest import personal_link
from tests.live.conftest import eventually

LAPTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}
SERVER_STANDS = "async () => (await (await fetch('/messe13/api/me/stands')).json()).exhibitor_ids"
STAND_SIZES = """() => [...document.querySelectorAll('.floorplan__stand')].map((rect) => {
  const box = rect.getBoundingClientRect();
  return [box.width, box.height];
})"""


async def _server_has(page, exhibitor_id: int) -> bool:
    return exhibitor_id in await page.evaluate(SERVER_STANDS)


async def _exhibitor_id(page, stand: str) -> int:
    return int(await page.locator(f"#stand-{stand}").get_attribute("data-exhibitor"))


async def test_a_saved_stand_is_highlighted_on_the_map_and_listed_in_my_programme(phone, app_server, database):
    link = personal_link(app_server, database, 20)
    page = await (await phone()).new_page()
    await page.goto(link)
    await page.goto(app_server.url("exhibitors/map"))
    exhibitor_id = await _exhibitor_id(page, "B4")
    await page.locator("#stand-B4").click()
    await page.wait_for_url(f"**/messe13/exhibitors/{exhibitor_id}")
    name = await page.locator("h1").inner_text()
    await page.get_by_role("button", name="Gem standen i Mit program").click()
    await expect(page.get_by_role("button", name="Fjern standen fra Mit program")).to_be_visible()
    await expect(page.get_by_text("Gemt i Mit program")).to_be_visible()
    assert await eventually(lambda: _server_has(page, exhibitor_id))

    await page.get_by_role("link", name="Vis på kortet").click()
    await page.wait_for_url("**/exhibitors/map?stand=B4#stand-B4")
    stand = page.locator("#stand-B4")
    await expect(stand).to_have_class("floorplan__link is-chosen is-saved")
    await expect(stand).to_have_attribute("aria-label", f"Stand B4: {name} – gemt i Mit program")
    assert await stand.evaluate("node => node === document.activeElement")
    assert await stand.is_visible() and await stand.evaluate("""node => {
      const box = node.getBoundingClientRect(), frame = node.closest('.floorplan__frame').getBoundingClientRect();
      return box.left >= frame.left && box.right <= frame.right && box.top >= 0 && box.bottom <= innerHeight;
    }""")
    assert "stand B4 er fremhævet" in await page.locator("#plan-B-title").text_content()
    assert await page.locator(".floorplan__link.is-saved").count() == 1

    await page.get_by_role("link", name="Mit program", exact=True).first.click()
    await page.wait_for_url("**/me/schedule")
    item = page.locator(f"#my-stands [data-exhibitor='{exhibitor_id}']")
    await expect(item).to_contain_text(name)
    await expect(item).to_contain_text("Stand B4, hal B")
    await expect(page.locator("#my-stands-empty")).to_be_hidden()

    laptop = await (await phone(**LAPTOP)).new_page()  # the same attendee on another device
    await laptop.goto(link)
    await laptop.goto(app_server.url("exhibitors/map"))
    await expect(laptop.locator("#stand-B4")).to_have_class("floorplan__link is-saved")
    await laptop.goto(app_server.url("me/schedule"))
    remove = laptop.get_by_role("button", name=f"Fjern standen fra Mit program – {name}")
    await remove.focus()
    await laptop.keyboard.press("Enter")
    await expect(laptop.locator("#my-stands > li")).to_have_count(0)
    await expect(laptop.locator("#my-stands-empty")).to_be_visible()
    assert await focused_node(laptop) == 'heading "Stande, du vil besøge" [level=2]'
    assert await eventually(lambda: _not(_server_has(laptop, exhibitor_id)))


async def _not(awaitable) -> bool:
    return not await awaitable


async def test_stands_saved_before_signing_in_are_merged_into_the_account(phone, app_server, database):
    page = await (await phone()).new_page()
    await page.goto(app_server.url("exhibitors"))
    item = page.locator("#exhibitor-list > li[data-stand='C5']")
    exhibitor_id = int(await item.get_attribute("data-exhibitor"))
    await item.get_by_role("button", name="Gem standen i Mit program").click()
    await page.goto(app_server.url("me/schedule"))
    await expect(page.locator(f"#my-stands [data-exhibitor='{exhibitor_id}']")).to_be_visible()

    await page.goto(personal_link(app_server, database, 21))
    await page.wait_for_url("**/messe13/?welcome=1")
    assert await eventually(lambda: _server_has(page, exhibitor_id))
    await page.goto(app_server.url("exhibitors/map"))
    await expect(page.locator("#stand-C5")).to_have_class("floorplan__link is-saved")


async def test_the_map_zooms_by_buttons_and_keys_and_its_stands_stay_44_px(phone, app_server):
    page = await (await phone()).new_page()
    await page.goto(app_server.url("exhibitors/map"))
    main_top = await page.locator("main h1").evaluate("node => node.getBoundingClientRect().bottom")
    plan_top = await page.locator("#plan-A").evaluate("node => node.getBoundingClientRect().top")
    assert plan_top - main_top < 200  # the map is at the top of the page, not below a list
    svg = page.locator("#plan-A svg")
    width = (await svg.bounding_box())["width"]
    await page.get_by_role("button", name="Zoom ind").click()
    await expect(page.locator("#hall-zoom-level")).to_have_text("125 %")
    assert (await svg.bounding_box())["width"] == pytest.approx(width * 1.25, abs=1)
    zoom_out = page.get_by_role("button", name="Zoom ud")
    while await zoom_out.is_enabled():
        await zoom_out.click()
    await expect(page.locator("#hall-zoom-level")).to_have_text("75 %")
    sizes = await page.evaluate(STAND_SIZES)
    assert len(sizes) == 104 and min(min(w, h) for w, h in sizes) >= 44

    await page.locator("#stand-A1").focus()
    await page.keyboard.press("+")
    await expect(page.locator("#hall-zoom-level")).to_have_text("100 %")
    await page.reload()  # the zoom is kept on the phone
    await expect(page.locator("#hall-zoom-level")).to_have_text("100 %")
    await page.locator("#stand-A1").focus()
    await page.keyboard.press("-")
    await expect(page.locator("#hall-zoom-level")).to_have_text("75 %")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/messe13/exhibitors/*")
    assert await page.locator("h1").inner_text() == "KOMBIT"


async def test_the_hall_pages_pass_axe_on_a_phone_and_a_laptop(phone, app_server, database):
    for options in ({}, LAPTOP):
        page = await (await phone(**options)).new_page()
        await page.goto(personal_link(app_server, database, 22 if options else 23))
        await page.goto(app_server.url("exhibitors/map"))
        exhibitor_id = await _exhibitor_id(page, "A3")
        paths = ["exhibitors/map", "exhibitors/map?stand=A3#stand-A3", f"exhibitors/{exhibitor_id}", "exhibitors",
                 "me/schedule"]
        await page.goto(app_server.url(f"exhibitors/{exhibitor_id}"))
        await page.get_by_role("button", name="Gem standen i Mit program").click()
        for language in ("Dansk", "English"):
            if language == "English":
                await page.get_by_role("button", name="English").click()
                await page.wait_for_load_state()
            for path in paths:
                await page.goto(app_server.url(path))
                await page.locator("#live").wait_for(state="attached")
                await page.wait_for_load_state("networkidle")
                assert await axe_violations(page) == [], (path, language, options)


# Each stand's number and name, and each of the halls' places' names, with the box it is drawn in.
LABELS = """() => {
  const box = (node) => { const r = node.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const stand = (link) => box(link.querySelector('.floorplan__stand'));
  return [
    ...[...document.querySelectorAll('.floorplan__link')].flatMap((link) => [
      [box(link.querySelector('.floorplan__label')), stand(link)], [box(link.nextElementSibling), stand(link)]]),
    ...[...document.querySelectorAll('.floorplan__feature text')].map((text) => [
      box(text), box(text.parentNode.querySelector('rect'))]),
  ];
}"""


def _outside(labels: list) -> list:
    """The labels that stick out of the box they belong to (so over a neighbour or out of the hall)."""
    return [(label, within) for label, within in labels
            if min(label[0] - within[0], label[1] - within[1], within[2] - label[2], within[3] - label[3]) < -1]


async def test_the_maps_labels_grow_with_the_text_size_inside_their_stands(phone, app_server):
    """A browser's text size of 200 % (it doubles what is sized in rem) doubles the stands' numbers and
    names and the places' names: the plan grows with its text, so each label stays inside its own
    stand, none over another, and every stand stays a target of at least 44 px."""
    page = await (await phone()).new_page()
    await page.goto(app_server.url("exhibitors/map"))
    before = await page.evaluate(LABELS)
    assert len(before) == 2 * 104 + await page.locator(".floorplan__feature text").count()
    await page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    after = await page.evaluate(LABELS)
    growth = sorted((new[3] - new[1]) / (old[3] - old[1]) for (old, _), (new, _) in zip(before, after, strict=True))
    assert growth[0] >= 1.9, growth[:3]  # every glyph about twice as tall
    assert _outside(before) == [] and _outside(after) == []
    sizes = await page.evaluate(STAND_SIZES)
    assert min(min(w, h) for w, h in sizes) >= 88
