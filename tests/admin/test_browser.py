"""The admin pages in Chromium: an import with one bad row, searching as you type, keyboard focus,
and axe-core finding no accessibility violations on any admin page."""

from __future__ import annotations

import re

from tests.accessibility import axe_violations
from tests.conftest import FRAB, needs_frab

BAD_IMPORT = ("Navn;E-mail;Organisation;Stilling;Rolle;Samtykke\r\n"
              "Søren Ærø;soeren@aeroe.dk;Ærø Kommune;Chef;deltager;ja\r\n"
              "Bo Fejl;bo-ved-eksempel.dk;KL;;gæst;ja\r\n"
              "Åse Ørsted;aase@kl.dk;KL;;presse;nej\r\n").encode("cp1252")


async def _attendee_total(page, server) -> int:
    await page.goto(server.url("admin/attendees"))
    return int(re.search(r"af (\d+) deltagere", await page.locator(".result-count").inner_text()).group(1))


async def _upload(page, server, content: bytes, name: str) -> None:
    await page.goto(server.url("admin/attendees/import"))
    await page.get_by_label("Fil med deltagere (CSV eller XLSX)").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    await page.get_by_role("button", name="Vis forhåndsvisning").click()
    await page.wait_for_load_state()


async def test_import_with_one_bad_row_imports_nothing_and_shows_why(admin_page, admin_server):
    page = admin_page
    before = await _attendee_total(page, admin_server)
    await _upload(page, admin_server, BAD_IMPORT, "tilmeldinger.csv")
    summary = page.get_by_role("alert")
    assert "Intet er importeret" in await summary.inner_text()
    assert await page.evaluate("document.activeElement.classList.contains('alert')")  # focus moved to the summary
    rows = page.locator("#import-errors tbody tr")
    assert await rows.count() == 2
    assert [await cell.inner_text() for cell in await rows.nth(0).locator("th, td").all()] == [
        "3", "E-mail", "bo-ved-eksempel.dk", "Ugyldig e-mailadresse"]
    assert "Ukendt rolle" in await rows.nth(1).inner_text()
    assert await page.get_by_role("button", name=re.compile("Importér")).count() == 0
    assert await _attendee_total(page, admin_server) == before

    corrected = BAD_IMPORT.replace(b"bo-ved-eksempel.dk;KL;;g\xe6st", b"bo@eksempel.dk;KL;;taler")
    await _upload(page, admin_server, corrected, "rettet.csv")
    assert "3 deltagere er klar: 3 nye" in await page.get_by_role("status").last.inner_text()
    await page.get_by_role("button", name="Importér 3 deltagere").click()
    await page.wait_for_url("**/admin/attendees")
    assert "3 deltagere oprettet og 0 opdateret fra rettet.csv" in await page.locator(".admin-main").inner_text()
    assert await _attendee_total(page, admin_server) == before + 3


@needs_frab
async def test_frab_import_of_pretalx_democon(admin_page, admin_server):
    page = admin_page
    await page.goto(admin_server.url("admin/programme/import"))
    await page.get_by_label("Programfil (frab JSON eller XML)").set_input_files(FRAB / "pretalx-democon.json")
    assert await page.get_by_label("Flyt programmet til messens dato").is_checked()
    await page.get_by_role("button", name="Vis forhåndsvisning").click()
    await page.get_by_role("heading", name="Forhåndsvisning af pretalx-democon.json").wait_for()
    counts = page.get_by_role("table", name="Det bliver oprettet og opdateret")
    assert "Foredrag (som kladder) 36 0" in " ".join((await counts.inner_text()).split())
    assert await axe_violations(page) == []
    await page.get_by_role("button", name="Importér 36 foredrag som kladder").click()
    await page.wait_for_url("**/admin/")
    assert "36 nye og 0 opdaterede foredrag" in await page.get_by_role("status").first.inner_text()
    await page.goto(admin_server.url("admin/stages"))
    assert await page.get_by_role("link", name="Gray Room").count() == 1


async def test_search_as_you_type_in_2000_attendees(admin_page, admin_server):
    page = admin_page
    assert await _attendee_total(page, admin_server) >= 2000
    wanted = admin_server.attendees[1234]["name"]
    await page.get_by_label("Søg på navn, organisation eller e-mail").press_sequentially(wanted, delay=5)
    await page.wait_for_function("text => document.querySelector('#attendee-results tbody')?.innerText.includes(text)"
                                 " && document.querySelectorAll('#attendee-results tbody tr').length < 50", arg=wanted)
    assert "q=" in page.url
    assert "Viser 1–" in await page.locator(".result-count").inner_text()


async def test_keyboard_focus_is_visible(admin_page, admin_server):
    page = admin_page
    await page.goto(admin_server.url("admin/"))
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(30):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.closest('.admin-nav') !== null"):
            break
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


async def _first_link(page, server, section: str) -> str:
    await page.goto(server.url(f"admin/{section}"))
    return await page.locator("table tbody a").first.get_attribute("href")


async def test_axe_finds_no_violations_on_any_admin_page(admin_page, admin_server):
    page = admin_page
    paths = ["admin/", "admin/stages", "admin/stages/new", "admin/tracks", "admin/tracks/new", "admin/speakers",
             "admin/speakers/new", "admin/attendees", "admin/attendees?q=kommune&page=2", "admin/attendees/new",
             "admin/attendees/import", "admin/attendees/mail", "admin/organisations", "admin/organisations/new",
             "admin/exhibitors", "admin/exhibitors/new", "admin/accounts", "admin/accounts/new", "admin/tokens",
             "admin/audit", "admin/programme/import"]
    for section in ("stages", "tracks", "speakers", "attendees", "organisations", "exhibitors"):
        paths.append((await _first_link(page, admin_server, section)).removeprefix("/messe13/"))
    paths.append(paths[-1] + "/staff/new")
    await page.goto(admin_server.url("admin/accounts"))
    paths.append((await page.get_by_role("link", name=re.compile("Ny adgangskode")).first.get_attribute("href"))
                 .removeprefix("/messe13/"))
    problems = {}
    for path in paths:
        await page.goto(admin_server.url(path))
        problems[path] = await axe_violations(page)

    # Pages in other states: errors shown, a secret shown once, a preview, English.
    await page.goto(admin_server.url("admin/tracks/new"))
    await page.get_by_role("button", name="Gem").click()
    problems["track form with errors"] = await axe_violations(page)
    await page.goto(admin_server.url("admin/tokens"))
    await page.locator("#f-name").fill("axe")
    await page.get_by_role("button", name="Opret token").click()
    problems["token shown once"] = await axe_violations(page)
    await page.goto(admin_server.url("admin/attendees"))
    await page.locator("table tbody a").first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    await page.get_by_role("button", name="Vis et nyt personligt link").click()
    await page.get_by_text("Det vises kun denne ene gang").wait_for()
    problems["personal link shown"] = await axe_violations(page)
    await _upload(page, admin_server, BAD_IMPORT, "fejl.csv")
    problems["import errors"] = await axe_violations(page)
    await _upload(page, admin_server, BAD_IMPORT.replace(b"g\xe6st", b"taler").replace(b"bo-ved-", b"bo@"), "ok.csv")
    problems["import preview"] = await axe_violations(page)
    await page.goto(admin_server.url("admin/attendees?lang=en"))
    problems["English attendee list"] = await axe_violations(page)
    assert {path: found for path, found in problems.items() if found} == {}
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
