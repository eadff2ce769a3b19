"""Talk authoring in Chromium, by keyboard: creating a talk (a rule's message first), editing a
published talk through the impact preview until a phone has it, deleting a draft, the versions
page, and axe-core on every authoring page at desktop and phone width."""

from __future__ import annotations

import asyncio
import re

from tests.accessibility import axe_violations
from tests.admin.live_data import add_live_data
from tests.admin.test_browser_live import phone, talk_now

TITLE = "Åbne data i praksis"


async def _fill_new_talk(page, start: str, duration: str) -> None:
    await page.get_by_label("Titel").fill(TITLE)
    await page.get_by_label("Resumé").fill("Erfaringer fra tre kommuner.")
    await page.get_by_label("Ny talers navn").fill("Ea Eksempel")
    await page.get_by_label("Start").fill(start)
    await page.get_by_label("Varighed i minutter").fill(duration)
    await page.get_by_label("Scene", exact=True).select_option(label="Lyntalescenen (120 pladser)")


async def test_create_a_talk_by_keyboard_after_a_rule_says_no_then_delete_the_draft(admin_page, admin_server):
    page = admin_page
    await page.goto(admin_server.url("admin/programme"))
    await page.get_by_role("link", name="Nyt foredrag").press("Enter")
    await page.get_by_role("heading", name="Nyt foredrag").wait_for()
    await _fill_new_talk(page, "2026-11-27T16:20", "30")
    await page.get_by_label("Varighed i minutter").press("Enter")
    summary = page.locator(".error-summary")
    await summary.wait_for()
    assert "Foredraget skal ligge inden for messens åbningstid kl. 09:00–16:30" in await summary.inner_text()
    assert await page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert await page.get_by_label("Titel").input_value() == TITLE  # nothing typed is lost
    await page.get_by_label("Start").fill("2026-11-27T15:40")
    await page.get_by_label("Varighed i minutter").fill("15")
    await page.get_by_role("button", name="Opret foredraget").press("Enter")
    await page.wait_for_url(re.compile(r"/admin/programme#talk-\d+$"))
    talk_id = int(page.url.rsplit("-", 1)[1])
    assert "er oprettet som kladde" in await page.get_by_role("status").first.inner_text()
    card = " ".join((await page.locator(f"#talk-{talk_id}").inner_text()).split())
    assert "Kladde" in card and "Med i næste version" in card and "Offentliggjort" not in card
    # Attendees do not see a draft.
    assert (await talk_now(admin_server, talk_id)).get("title") is None
    await page.locator(f"#talk-{talk_id} a").press("Enter")
    await page.get_by_role("heading", name=f"Ret foredrag: {TITLE}").wait_for()
    assert await page.get_by_label("Ea Eksempel").is_checked()
    page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    await page.get_by_role("button", name="Slet kladden").press("Enter")
    await page.wait_for_url(re.compile(r"/admin/programme$"))
    assert f"Kladden '{TITLE}' er slettet" in await page.get_by_role("status").first.inner_text()
    assert await page.locator(f"#talk-{talk_id}").count() == 0
    assert [e for e in page.console_errors if "422 (Unprocessable Entity)" not in e] == []  # the refused form


async def test_edit_a_published_talk_through_the_impact_preview(admin_page, admin_server):
    page = admin_page
    talk_id = add_live_data(admin_server, {"stars": {"t-040": [1, 2, 3]}})["talks"]["t-040"]
    before = (await talk_now(admin_server, talk_id))["title"]
    await page.goto(admin_server.url(f"admin/programme/talks/{talk_id}"))
    await page.get_by_label("Titel").fill("Kommunernes fælles datafundament")
    await page.get_by_label("Offentliggør nu").check()
    await page.get_by_label("Offentliggør nu").press("Enter")
    await page.get_by_role("heading", name=re.compile("Før du gemmer")).wait_for()
    assert await page.evaluate("() => document.activeElement.id") == "impact-heading"
    impact = " ".join((await page.locator("#impact").inner_text()).split())
    assert f"Titel {before} Kommunernes fælles datafundament" in impact
    assert "3 deltagere har stjernemarkeret foredraget." in impact
    assert (await talk_now(admin_server, talk_id))["title"] == before  # nothing saved yet
    async with phone(admin_server) as listening:
        await page.get_by_role("button", name="Gem og send til telefonerne").press("Enter")
        change = await listening.wait_for(lambda f: f["type"] == "change" and f["talk"]["id"] == talk_id)
    assert change["kind"] == "updated" and change["talk"]["title"] == "Kommunernes fælles datafundament"
    await page.wait_for_url(re.compile(r"/admin/programme#talk-\d+$"))
    card = " ".join((await page.locator(f"#talk-{talk_id}").inner_text()).split())
    assert "Offentliggjort" in card and "Upublicerede ændringer" not in card
    # Saved without "Offentliggør nu", an edit waits in the draft and the grid says so.
    await page.goto(admin_server.url(f"admin/programme/talks/{talk_id}"))
    await page.get_by_label("Resumé").fill("Et nyt resumé, kun i kladden.")
    await page.get_by_role("button", name="Vis konsekvenser").press("Enter")
    await page.get_by_role("button", name="Gem kladden").press("Enter")
    await page.wait_for_url(re.compile(r"/admin/programme#talk-\d+$"))
    card = " ".join((await page.locator(f"#talk-{talk_id}").inner_text()).split())
    assert "Offentliggjort" in card and "Upublicerede ændringer" in card
    assert (await talk_now(admin_server, talk_id))["abstract"] != "Et nyt resumé, kun i kladden."
    assert page.console_errors == []


async def test_axe_finds_no_violations_on_the_authoring_pages(chromium, admin_server, organiser_state):
    talk_id = add_live_data(admin_server, {})["talks"]["t-039"]
    problems = {}
    for width, height in ((1280, 900), (390, 844)):
        context = await chromium.new_context(viewport={"width": width, "height": height},
                                             storage_state=organiser_state)
        page = await context.new_page()
        for path in ("admin/programme/talks/new", "admin/programme/talks/new?lang=en",
                     f"admin/programme/talks/{talk_id}", "admin/programme/versions",
                     "admin/programme/versions?lang=en"):
            await page.goto(admin_server.url(path))
            problems[f"{path} at {width}"] = await axe_violations(page)
        await page.goto(admin_server.url("admin/programme/talks/new"))
        await page.get_by_role("button", name="Opret foredraget").click()
        await page.locator(".error-summary").wait_for()
        problems[f"new talk with errors at {width}"] = await axe_violations(page)
        await page.goto(admin_server.url(f"admin/programme/talks/{talk_id}"))
        await page.get_by_label("Titel").fill("Lyntale med ny titel")
        await page.get_by_role("button", name="Vis konsekvenser").click()
        await page.get_by_role("heading", name=re.compile("Før du gemmer")).wait_for()
        problems[f"edit preview at {width}"] = await axe_violations(page)
        if width == 390:
            wide = await page.evaluate("() => document.documentElement.scrollWidth")
            assert wide <= 390
        await context.close()
    assert {path: found for path, found in problems.items() if found} == {}
