"""WCAG 2.1 AA on the phone: axe-core finds nothing on any page of the app, in Danish and in
English, also with alerts, announcements and the offline notice showing; the app reflows at 320 px
(what a 640 px window shows at 200 % zoom); stars work from the keyboard with a visible focus."""

from __future__ import annotations

from playwright.async_api import expect

from tests.accessibility import axe_violations
from tests.app.conftest import NARROW_PHONE, personal_link
from tests.app.test_live_alerts import open_programme, star_of
from tests.live.conftest import new_talk

APP_PAGES = ["", "programme?view=stage", "programme?q=digital&view=time", "changes", "exhibitors",
             "exhibitors/map", "exhibitors/map?stand=A3", "me/schedule", "link"]


async def pages_pass_axe(page, server, paths: list[str]) -> None:
    for path in paths:
        await page.goto(server.url(path))
        await page.locator("#live, main").first.wait_for()
        await page.wait_for_load_state("networkidle")
        assert await axe_violations(page) == [], path


async def test_every_page_passes_axe_in_danish_and_english(phone, app_server, api, database):
    talk = await new_talk(api, title="Tilgængeligt foredrag")
    other = await new_talk(api, title="Tilgængeligt og aflyst", starts_at="2026-11-27T10:10:00+01:00",
                           ends_at="2026-11-27T10:30:00+01:00")
    await api.patch(f"api/talks/{other['id']}", json={"state": "cancelled"})
    for language in ("Dansk", "English"):
        context = await phone()
        page = await context.new_page()
        await page.goto(app_server.url("programme"))
        if language == "English":
            await page.get_by_role("button", name="English").click()
            await page.wait_for_load_state()
        star = "Stjernemarkér" if language == "Dansk" else "Star"
        await page.get_by_role("button", name=f"{star} Tilgængeligt foredrag", exact=True).first.click()
        await pages_pass_axe(page, app_server, [*APP_PAGES, f"talks/{talk['id']}", f"talks/{other['id']}"])
        await page.goto(personal_link(app_server, database, 4))
        await pages_pass_axe(page, app_server, ["me/schedule", "me/data", ""])
        assert await page.locator("html").get_attribute("lang") == ("da" if language == "Dansk" else "en")


async def test_alerts_banners_and_the_offline_notice_pass_axe(phone, app_server, api):
    first = await new_talk(api, title="Alarm A")
    second = await new_talk(api, title="Alarm B", starts_at="2026-11-27T11:00:00+01:00",
                            ends_at="2026-11-27T11:20:00+01:00")
    page = await open_programme(phone, app_server)
    await star_of(page, "Alarm A").click()
    await star_of(page, "Alarm B").click()
    await api.patch(f"api/talks/{second['id']}", json={"starts_at": "2026-11-27T10:05:00+01:00"})
    await api.post("api/announcements", json={"title": "Velkommen", "body": "Kaffen er klar", "level": "info"})
    await api.patch(f"api/talks/{first['id']}", json={"title": "Alarm A med ny titel"})
    await page.locator("#live-alert .alert__choice").wait_for()
    await page.locator("#live-polite .banner").wait_for()
    assert await axe_violations(page) == []
    await page.context.set_offline(True)  # axe is on the page already; offline it could not be fetched
    await page.locator("#connection p").wait_for()
    violations = await page.evaluate("async () => (await axe.run()).violations.map(v => v.id + ': ' + v.help)")
    assert violations == []
    await page.context.set_offline(False)


async def test_the_app_reflows_at_320_px_and_stars_work_from_the_keyboard(phone, app_server, api):
    talk = await new_talk(api, title="Et foredrag med en meget lang titel om fællesoffentlig rammearkitektur")
    page = await (await phone(**NARROW_PHONE)).new_page()
    for path in ("", "programme?view=stage", f"talks/{talk['id']}", "me/schedule", "exhibitors", "changes"):
        await page.goto(app_server.url(path))
        await page.wait_for_load_state("networkidle")
        assert await page.evaluate("() => document.documentElement.scrollWidth") <= 320, path

    await page.goto(app_server.url("programme?view=stage"))
    link = page.locator(f"#talk-{talk['id']} .talk__title a")
    await link.focus()
    await page.keyboard.press("Tab")
    star = page.locator(f"#talk-{talk['id']} button[data-star]")
    assert await star.evaluate("node => node === document.activeElement")
    assert await star.evaluate("node => getComputedStyle(node).outlineStyle") != "none"
    await page.keyboard.press("Enter")
    await expect(star).to_have_accessible_name(f"Fjern stjerne fra {talk['title']}")
    await page.keyboard.press("Space")
    await expect(star).to_have_accessible_name(f"Stjernemarkér {talk['title']}")


async def test_sign_in_link_and_error_pages_pass_axe(phone, app_server):
    """The pages around the app: the list of fairs, staff sign-in (also with its error), a dead
    personal link and a page that does not exist, in Danish and English."""
    page = await (await phone()).new_page()
    root = app_server.base_url + "/"
    for suffix in ("", "?lang=en"):
        problems = {}
        for url in (root + suffix, app_server.url("login" + suffix), app_server.url("link/udloebet" + suffix),
                    app_server.url("ingen-side" + suffix)):
            await page.goto(url)
            problems[url] = await axe_violations(page)
        await page.goto(app_server.url("login" + suffix))
        await page.fill("#username", "ingen")
        await page.fill("#password", "forkert-adgangskode")
        await page.click('form[action$="/login"] button[type="submit"]')
        await page.get_by_role("alert").wait_for()
        problems["login refused" + suffix] = await axe_violations(page)
        assert problems == {key: [] for key in problems}
