"""The public pages: the programme by time and by stage, one talk, "Hvad er ændret", and the Atom feed."""

from __future__ import annotations

import html
import re

from lxml import etree

from messe.programme.domain import editing
from messe.programme.models import Talk
from tests.programme.conftest import EVENT


async def test_programme_page_by_time_and_by_stage(client, fair, hub):
    page = await client.get(f"{EVENT}/")
    assert page.status_code == 200
    text = page.text
    assert '<html lang="da">' in text and '<main id="main"' in text
    assert re.search(r"<h1>Program</h1>", text) and '<nav aria-label="Visning af programmet">' in text
    assert 'id="live" data-socket="/messe13/ws"' in text and 'src="/static/js/app/app.js"' in text
    talk = await Talk.filter(event=fair).order_by("starts_at").first()
    assert talk.title in html.unescape(text)
    by_stage = await client.get(f"{EVENT}/programme", params={"view": "stage"})
    assert "<h2 id=\"stage-1\">Store Sal" in by_stage.text
    english = await client.get(f"{EVENT}/programme", params={"lang": "en"})
    assert '<html lang="en">' in english.text and "By stage" in english.text


async def test_pages_answer_304_until_the_change_log_moves(client, fair, hub):
    first = await client.get(f"{EVENT}/programme")
    etag = first.headers["etag"]
    assert (await client.get(f"{EVENT}/programme", headers={"If-None-Match": etag})).status_code == 304
    talk = await Talk.filter(event=fair).order_by("starts_at").first()
    # A change made by another process: this one only sees the event's last_seq move.
    await editing.update_talk(fair.id, talk.id, {"title": "Helt ny titel"}, publish=True)
    fresh = await client.get(f"{EVENT}/programme", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and "Helt ny titel" in fresh.text and 'data-seq="1"' in fresh.text


async def test_talk_page_and_cancelled_talks(client, fair, hub):
    talk = await Talk.filter(event=fair).order_by("starts_at").first()
    page = await client.get(f"{EVENT}/talks/{talk.id}")
    assert page.status_code == 200 and f'<h1 id="talk-title" data-slot="title">{talk.title}</h1>' in page.text
    await editing.cancel_talk(fair.id, talk.id, publish=True)
    cancelled = await client.get(f"{EVENT}/talks/{talk.id}")
    assert "Foredraget er aflyst." in cancelled.text
    assert "<strong>Aflyst</strong>" in (await client.get(f"{EVENT}/programme")).text
    assert (await client.get(f"{EVENT}/talks/999999")).status_code == 404


async def test_what_changed_page_and_atom_feed(client, fair, hub):
    assert "Programmet er ikke ændret" in (await client.get(f"{EVENT}/changes")).text
    talk = await Talk.filter(event=fair).order_by("starts_at").first()
    await editing.update_talk(fair.id, talk.id, {"title": "Omdøbt"}, publish=True)
    page = await client.get(f"{EVENT}/changes")
    assert f"'{talk.title}' hedder nu 'Omdøbt'" in html.unescape(page.text)
    english = await client.get(f"{EVENT}/changes", params={"lang": "en"})
    # In English the Danish titles are marked as Danish (WCAG 3.1.2).
    assert f"'<span lang=\"da\">{talk.title}</span>' is now called '<span lang=\"da\">Omdøbt</span>'" in html.unescape(
        english.text)
    feed = await client.get(f"{EVENT}/changes.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = etree.fromstring(feed.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 1 and entries[0].findtext("a:title", namespaces=ns) == f"'{talk.title}' hedder nu 'Omdøbt'"
    assert root.findtext("a:id", namespaces=ns) == "http://testserver/messe13/changes.atom"
    again = await client.get(f"{EVENT}/changes.atom", headers={"If-None-Match": feed.headers["etag"]})
    assert again.status_code == 304


async def test_live_client_script(client, fair):
    script = await client.get("/static/js/app/live.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert '"hello"' in script.text
