"""The admin home gives the code that shows the programme on another site: an <iframe> of
``/<event>/embed`` in a read-only, labelled text field with a copy button."""

from __future__ import annotations

import html
import re


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
