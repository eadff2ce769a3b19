"""Browsing the programme on a phone (390 px): a time index that sticks while the list scrolls and
scrolls sideways itself, "Gå til nu" on the fair's day only, the filters on the first screen, a
compact header with a tab bar at the bottom that covers nothing, search in abstracts, and a star
named for what a tap does. axe finds nothing on the phone or the desktop, the embeddable programme
included."""

from __future__ import annotations

from playwright.async_api import expect

from tests.accessibility import axe_violations
from tests.app.conftest import PHONE
from tests.app.test_live_alerts import open_programme, star_of, unstar_of
from tests.live.conftest import new_talk

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}
HEIGHT = PHONE["viewport"]["height"]


async def box(locator) -> dict:
    return await locator.bounding_box()


async def test_the_time_index_sticks_scrolls_sideways_and_leads_to_each_hour(phone, app_server, api):
    await new_talk(api, title="Sent på dagen", starts_at="2026-11-27T16:05:00+01:00",
                   ends_at="2026-11-27T16:25:00+01:00")
    page = await open_programme(phone, app_server, "")
    index = page.get_by_role("navigation", name="Tidspunkter")
    links = index.get_by_role("link")
    assert await links.first.is_visible()
    row = index.locator("ul")
    assert await row.evaluate("node => node.scrollWidth > node.clientWidth")  # more hours than fit: it scrolls
    assert await page.evaluate("() => document.documentElement.scrollWidth") <= 390  # the page itself does not

    hour = index.get_by_role("link", name="16:05", exact=True)
    await hour.scroll_into_view_if_needed()
    await hour.click()
    heading = page.locator(await hour.get_attribute("href"))
    await expect(heading).to_have_text("16:05")
    await expect(heading).to_be_in_viewport()
    under_index = await box(index)
    assert under_index["y"] <= 1  # stuck at the top of the window
    assert (await box(heading))["y"] >= under_index["y"] + under_index["height"]  # not hidden beneath it
    assert "Sent på dagen" in await heading.locator("xpath=..").inner_text()


async def test_go_to_now_leads_to_the_slot_going_on_and_only_on_the_fairs_day(phone, app_server, api):
    await new_talk(api, title="Lige nu på messen", starts_at="2026-11-27T13:07:00+01:00",
                   ends_at="2026-11-27T13:40:00+01:00")
    today = await open_programme(phone, app_server, "")  # the test runs on another day than the fair's
    await expect(today.get_by_role("navigation", name="Tidspunkter")).to_be_visible()
    await expect(today.get_by_role("link", name="Gå til nu")).to_be_hidden()

    page = await (await phone()).new_page()
    await page.clock.set_fixed_time("2026-11-27T13:08:00+01:00")
    await page.goto(app_server.url(""))
    go = page.get_by_role("link", name="Gå til nu")
    await expect(go).to_be_visible()
    await go.click()
    slot = page.locator(await go.get_attribute("href"))
    await expect(slot).to_have_text("13:07")  # the last slot that has started
    await expect(slot).to_be_in_viewport()
    assert "Lige nu på messen" in await slot.locator("xpath=..").inner_text()


async def test_a_compact_header_filters_on_the_first_screen_and_a_tab_bar_that_covers_nothing(phone, app_server):
    page = await open_programme(phone, app_server, "")
    header = await box(page.locator(".site-header"))
    assert header["height"] <= 0.12 * HEIGHT
    for field in ("Søg i titel, beskrivelse, taler, organisation, scene eller spor", "Spor", "Scene"):
        control = await box(page.get_by_label(field, exact=True))
        assert control["y"] + control["height"] <= HEIGHT - 60, field  # above the tab bar, unscrolled

    tabs = page.get_by_role("navigation", name="Faner")
    bar = await box(tabs)
    assert bar["y"] + bar["height"] == HEIGHT
    names = [await link.inner_text() for link in await tabs.get_by_role("link").all()]
    assert names == ["Program", "Mit program", "Udstillere", "Mere"]
    for link in await tabs.get_by_role("link").all():
        target = await box(link)
        assert target["height"] >= 44 and target["width"] >= 44
    await expect(tabs.get_by_role("link", name="Program", exact=True)).to_have_attribute("aria-current", "page")
    assert await tabs.locator("[aria-current]").count() == 1
    await expect(page.get_by_role("navigation", name="Hovedmenu")).to_be_hidden()

    await page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    footer = await box(page.locator(".site-footer"))
    assert footer["y"] + footer["height"] <= bar["y"] + 1  # the last of the page is above the bar

    await tabs.get_by_role("link", name="Mere").click()
    await expect(page.get_by_role("navigation", name="Mere").get_by_role("link", name="Hvad er ændret")) \
        .to_be_in_viewport()
    await tabs.get_by_role("link", name="Mit program").click()
    await page.wait_for_url("**/me/schedule")
    await expect(page.get_by_role("navigation", name="Faner").get_by_role("link", name="Mit program")) \
        .to_have_attribute("aria-current", "page")

    desktop = await (await phone(**DESKTOP)).new_page()
    await desktop.goto(app_server.url(""))
    await expect(desktop.get_by_role("navigation", name="Faner")).to_be_hidden()
    await expect(desktop.get_by_role("navigation", name="Hovedmenu")).to_be_visible()


async def test_search_finds_words_in_abstracts_as_you_type(phone, app_server, api):
    talk = await new_talk(api, title="Et foredrag om noget andet",
                          abstract="Sådan sparede Vordingborg Kommune tid med kvantekryptografi.")
    page = await open_programme(phone, app_server, "")
    await page.get_by_label("Søg i titel, beskrivelse, taler, organisation, scene eller spor").fill(
        "kvantekryptografi vordingborg")
    await expect(page.locator("#search-count")).to_have_text("1 foredrag vist")
    await expect(page.locator(f"#talk-{talk['id']}")).to_be_visible()
    # The index shows only the hours left, and the server finds the same without the script.
    await expect(page.get_by_role("navigation", name="Tidspunkter").get_by_role("link", name="10:00")).to_be_visible()
    await expect(page.get_by_role("navigation", name="Tidspunkter").get_by_role("link", name="09:00")).to_be_hidden()
    plain = await (await phone(java_script_enabled=False)).new_page()
    await plain.goto(app_server.url("programme?q=Kvantekryptografi"))
    await expect(plain.locator(f"#talk-{talk['id']}")).to_be_visible()
    await expect(plain.locator("#search-count")).to_have_text("1 foredrag vist")


async def test_the_star_is_named_for_what_a_tap_does(phone, app_server, api):
    talk = await new_talk(api, title="Stjernens navn")
    page = await open_programme(phone, app_server, "")
    await star_of(page, "Stjernens navn").click()
    await expect(unstar_of(page, "Stjernens navn")).to_be_visible()
    assert await star_of(page, "Stjernens navn").count() == 0
    await unstar_of(page, "Stjernens navn").click()
    await expect(star_of(page, "Stjernens navn")).to_be_visible()

    await page.goto(app_server.url(f"talks/{talk['id']}"))
    star = page.locator("main button[data-star]")
    shown = star.locator(".star__text")  # what the button shows; its name says the rest
    await expect(shown).to_have_text("Stjernemarkér", use_inner_text=True)
    await star.click()
    await expect(shown).to_have_text("Fjern stjerne", use_inner_text=True)
    await expect(star).to_have_accessible_name("Fjern stjerne fra Stjernens navn")


async def test_the_browsing_pages_and_the_embed_pass_axe_on_the_phone_and_the_desktop(phone, app_server, api):
    await new_talk(api, title="Tilgængelig browsing", abstract="Om tidsindekset")
    for options in ({}, DESKTOP):
        page = await (await phone(**options)).new_page()
        await page.clock.set_fixed_time("2026-11-27T10:05:00+01:00")  # "Gå til nu" showing
        for path in ("", "programme?q=tidsindekset", "embed", "embed?lang=en", "me/schedule"):
            await page.goto(app_server.url(path))
            await page.wait_for_load_state("networkidle")
            assert await axe_violations(page) == [], (options, path)
