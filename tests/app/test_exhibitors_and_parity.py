"""The exhibitor list and the floor plan (its own page) link both ways on the phone, and the phone
works out "Nu", "Næste" and overlaps exactly as the server does (the same cases as test_app_domain)."""

from __future__ import annotations

from datetime import timedelta

from messe.programme.domain.now_next import now_and_next
from messe.programme.domain.overlaps import overlaps
from tests.app.test_app_domain import PROGRAMME, at, ids

PHONE_LOGIC = """async ([talks, moments]) => {
  const { nowAndNext } = await import("/static/js/app/nownext.js");
  const { overlapsWith } = await import("/static/js/app/overlaps.js");
  const ids = (list) => list.map((talk) => talk.id);
  return {
    moments: moments.map((moment) => {
      const { now, next } = nowAndNext(talks, Date.parse(moment));
      return [ids(now), ids(next)];
    }),
    overlaps: Object.fromEntries(talks.map((talk) => [talk.id, ids(overlapsWith(talk, talks))])
      .filter(([, found]) => found.length)),
  };
}"""


async def test_stands_link_both_ways_between_the_list_and_the_plan(phone, app_server):
    page = await (await phone()).new_page()
    await page.goto(app_server.url("exhibitors"))
    item = page.locator("#exhibitor-list > li").nth(5)
    stand = await item.get_attribute("data-stand")
    name = await item.locator("h2").inner_text()
    await item.locator("[data-stand-link]").click()
    await page.wait_for_url(f"**/exhibitors/map?stand={stand}#stand-{stand}")
    box = page.locator(f".floorplan__stand[data-stand='{stand}']")
    assert "floorplan__stand--chosen" in await box.get_attribute("class")
    assert f"stand {stand} er fremhævet" in await page.locator(f"#plan-{stand[0]}-title").text_content()

    await page.locator(f"#stand-{stand}").click()
    await page.wait_for_url("**/exhibitors/*")
    assert await page.locator("h1").inner_text() == name
    await page.get_by_role("link", name="Alle udstillere").click()
    await page.wait_for_url("**/exhibitors")
    assert await page.locator("#exhibitor-list > li").count() == 104


async def test_the_phone_and_the_server_agree_on_now_next_and_overlaps(phone, app_server):
    page = await (await phone()).new_page()
    await page.goto(app_server.url("programme"))
    moments = [at("08:00"), at("09:00"), at("09:40"), at("10:15"), at("11:00"), at("09:45") - timedelta(seconds=1)]
    phone_says = await page.evaluate(PHONE_LOGIC, [PROGRAMME, [m.isoformat() for m in moments]])
    server_says = [[ids(chosen.now), ids(chosen.next)] for chosen in (now_and_next(PROGRAMME, m) for m in moments)]
    assert phone_says["moments"] == server_says
    assert phone_says["overlaps"] == {str(k): ids(v) for k, v in overlaps(PROGRAMME).items()}
