"""The admin home gives the code that shows the programme on another site: an <iframe> of
``/<event>/embed`` in a read-only, labelled text field with a copy button."""

from __future__ import annotations

import html
import re

from playwright.async_api import expect

from tests.accessibility import axe_violations


async def test_the_admin_home_shows_the_embed_code_to_copy(organiser):
    page = await organiser.get("/messe13/admin/")
    assert page.status_code == 200
    field = re.search(r'<textarea id="embed-code"[^>]*readonly>(.*?)</textarea>', page.text, re.S)
    assert field, "no read-only code field"
    code = html.unescape(field.group(1))
    assert code.startswith('<iframe src="http://testserver/messe13/embed" title="Program for ')
    assert code.endswith("></iframe>")
    assert '<label for="embed-code">HTML-kode til at indsætte</label>' in page.text
    assert 'data-copy="embed-code"' in page.text and "Kopiér koden" in page.text
    assert "MESSE_EMBED_ORIGINS" in page.text  # none configured: the organiser is told how


async def test_the_copy_button_copies_the_code_and_the_home_passes_axe(admin_page, admin_server):
    await admin_page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=admin_server.base_url)
    field = admin_page.get_by_label("HTML-kode til at indsætte")
    assert await field.get_attribute("readonly") is not None
    await admin_page.get_by_role("button", name="Kopiér koden").click()
    await expect(admin_page.locator("button[data-copy=embed-code]")).to_have_text("Kopieret")
    copied = await admin_page.evaluate("() => navigator.clipboard.readText()")
    assert copied == await field.input_value()
    assert copied.startswith(f'<iframe src="{admin_server.url("embed")}"')
    assert await axe_violations(admin_page) == []
    assert admin_page.console_errors == []
