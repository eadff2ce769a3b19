"""The organiser's main tasks with the keyboard only (issue 17): move a talk through the impact
preview, publish the draft as a version (a missing name first), send an announcement, import
attendees from a CSV file. After every step focus is on a named control or the message that
answers (role and name as a screen reader says them), never on the page's body; a confirmation is
asked only for a form that can be sent."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import expect

from tests.accessibility import axe_violations, focused_node, press_until_focused
from tests.admin.live_data import add_live_data
from tests.admin.test_browser import BAD_IMPORT


@pytest.fixture
async def keyboard_page(chromium, admin_server, organiser_state) -> AsyncIterator:
    """A Danish desktop page signed in as the organiser, keeping the confirmations it was asked."""
    context = await chromium.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK",
                                         storage_state=organiser_state)
    page = await context.new_page()
    page.confirmations = []

    def answer(dialog) -> None:
        page.confirmations.append(dialog.message)
        return dialog.accept()

    page.on("dialog", answer)
    yield page
    await context.close()


async def skip_to_content(page) -> None:
    """The first Tab stop of every page is the skip link; Enter takes focus past the menus."""
    await page.keyboard.press("Tab")
    assert await focused_node(page) == 'link "Spring til indholdet"'
    await page.keyboard.press("Enter")


async def test_move_a_talk_then_publish_the_draft_by_keyboard(keyboard_page, admin_server):
    page = keyboard_page
    talk_id = add_live_data(admin_server, {})["talks"]["t-014"]  # 11:40, alone on its stage until 12:45
    await page.goto(admin_server.url(f"admin/programme/talks/{talk_id}"))
    title = await page.locator("#f-title").input_value()
    await skip_to_content(page)
    await press_until_focused(page, re.compile(r'^textbox "Start'))
    for _ in range(4):  # day, month, year, hour: on to the minutes
        await page.keyboard.press("Tab")
    await page.keyboard.press("ArrowUp")  # five minutes later (the field's step)
    await page.keyboard.press("Enter")
    # The preview of what the move does takes focus.
    await page.get_by_role("heading", name=re.compile("Før du gemmer")).wait_for()
    assert await focused_node(page) == f'heading "Før du gemmer: {title}" [level=2]'
    assert "11:40 27. nov. 2026 11:45" in " ".join((await page.locator("#impact").inner_text()).split())
    await press_until_focused(page, 'button "Gem og send til telefonerne"')
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(rf"/admin/programme#talk-{talk_id}$"))
    await page.wait_for_function("() => document.activeElement.matches('.flash')")
    assert "er gemt og sendt til deltagernes telefoner" in await focused_node(page)

    # Publish with the suggested name taken away: no question first, the error summary takes
    # focus and leads to the field.
    field = 'textbox "Versionens navn (skal udfyldes)"'
    await press_until_focused(page, field, limit=200)
    await page.keyboard.press("ControlOrMeta+A")
    await page.keyboard.press("Backspace")
    await press_until_focused(page, 'button "Offentliggør kladden"', limit=3)
    await page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    await expect(summary).to_be_focused()
    assert page.confirmations == []
    await page.keyboard.press("Tab")
    assert (await focused_node(page)).startswith('link "Versionens navn')
    await page.keyboard.press("Enter")
    assert (await focused_node(page)).startswith(f"{field} [invalid]")
    version = f"tastatur-{uuid.uuid4().hex[:6]}"
    await page.keyboard.type(version)
    await press_until_focused(page, 'button "Offentliggør kladden"', limit=3)
    await page.keyboard.press("Enter")
    await page.wait_for_function("() => document.activeElement.matches('.flash')")
    assert f"Version '{version}' er offentliggjort" in await focused_node(page)
    assert page.confirmations == ["Offentliggør kladden nu? Ændringerne sendes til alle telefoner."]


async def test_send_an_announcement_by_keyboard(keyboard_page, admin_server):
    page = keyboard_page
    await page.goto(admin_server.url("admin/announcements"))
    await skip_to_content(page)
    await press_until_focused(page, 'button "Send meddelelsen"')
    await page.keyboard.press("Enter")  # nothing written yet
    await expect(page.locator(".error-summary")).to_be_focused()
    assert page.confirmations == []
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    assert (await focused_node(page)).startswith('textbox "Overskrift (skal udfyldes)" [invalid]')
    title = f"Kaffen er klar {uuid.uuid4().hex[:4]}"
    await page.keyboard.type(title)
    await page.keyboard.press("Tab")
    assert await focused_node(page) == 'textbox "Tekst"'
    await page.keyboard.type("I foyeren.")
    await page.keyboard.press("Tab")
    assert await focused_node(page) == 'radio "Almindelig" [checked]'
    await press_until_focused(page, 'button "Send meddelelsen"', limit=3)
    await page.keyboard.press("Enter")
    await page.wait_for_function("() => document.activeElement.matches('.flash')")
    assert "sendt" in await focused_node(page)
    assert page.confirmations == ["Send meddelelsen til telefonerne nu?"]
    await expect(page.locator("table")).to_contain_text(title)


async def test_import_attendees_by_keyboard(keyboard_page, admin_server):
    page = keyboard_page
    tag = uuid.uuid4().hex[:6]
    good = BAD_IMPORT.replace(b"bo-ved-eksempel.dk;KL;;g\xe6st", b"bo@eksempel.dk;KL;;taler")
    content = re.sub(rb"@", f"-{tag}@".encode(), good)
    # Listen for the file chooser before the page loads: Playwright turns interception on without
    # waiting for the browser's answer, so a listener added just before Space can lose that race.
    chooser = asyncio.get_running_loop().create_future()
    page.once("filechooser", lambda opened: chooser.set_result(opened))
    await page.goto(admin_server.url("admin/attendees/import"))
    await skip_to_content(page)
    await press_until_focused(page, re.compile(r'^button "Fil med deltagere'))
    await page.keyboard.press("Space")
    await (await asyncio.wait_for(chooser, 30)).set_files(
        files=[{"name": "tastatur.csv", "mimeType": "text/csv", "buffer": content}])
    await press_until_focused(page, 'button "Vis forhåndsvisning"', limit=3)
    await page.keyboard.press("Enter")
    # The preview's verdict takes focus; the next stop is the button that imports.
    await page.wait_for_url(re.compile(r"/admin/attendees/import"))
    await page.wait_for_function("() => document.activeElement !== document.body")
    assert "3 deltagere er klar: 3 nye" in await focused_node(page)
    await page.keyboard.press("Tab")
    assert await focused_node(page) == 'button "Importér 3 deltagere"'
    assert await axe_violations(page) == []
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/admin/attendees")
    await page.wait_for_function("() => document.activeElement.matches('.flash')")
    assert "3 deltagere oprettet og 0 opdateret fra tastatur.csv" in await focused_node(page)
