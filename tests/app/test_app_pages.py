"""The app's pages and files as the server sends them: the manifest and icons, the service worker,
search and filters without JavaScript, "Mit program" and the calendar feed, and every Danish text
with its English translation."""

from __future__ import annotations

import html
import re
from io import BytesIO

from icalendar import Calendar
from PIL import Image

from messe.config import STATIC_DIR
from messe.people.domain.accounts import issue_personal_link_token
from messe.people.models import Attendee
from messe.programme.interfaces.pages import APP_TEXTS
from messe.programme.models import Stage, Talk, Track
from messe.web.templates import LANGUAGE_COOKIE
from tests.translations import untranslated


async def test_the_manifest_makes_the_event_an_installable_app(client, fair):
    response = await client.get("/messe13/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["start_url"] == manifest["scope"] == "/messe13/" and manifest["display"] == "standalone"
    assert manifest["name"] == "Digitaliseringsmessen 13" and manifest["short_name"] == "DM13"
    assert manifest["lang"] == "da" and manifest["theme_color"] == "#12355b"
    assert manifest.get("orientation", "any") == "any"  # not locked to portrait (WCAG 1.3.4)
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        image = Image.open(BytesIO((await client.get(icon["src"])).content))
        assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"]
    english = (await client.get("/messe13/manifest.webmanifest?lang=en")).json()
    assert english["lang"] == "en" and english["shortcuts"][0]["name"] == "My schedule"
    page = (await client.get("/messe13/")).text
    assert '<link rel="manifest" href="/messe13/manifest.webmanifest?lang=da">' in page
    assert '<script type="module" src="/static/js/app/offline.js"></script>' in page


async def test_the_service_worker_is_served_from_the_event_and_saves_every_script(client, fair):
    response = await client.get("/messe13/sw.js")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/javascript")
    listed = set(re.search(r"\.\.\.\[([^\]]+)\]\.map", response.text).group(1).replace('"', "").replace(" ", "")
                 .replace("\n", "").split(","))
    assert listed == {p.stem for p in (STATIC_DIR / "js" / "app").glob("*.js")} - {"sw"}
    assert (await client.get("/nosuchevent/sw.js")).status_code == 404


async def test_search_and_filters_work_without_javascript(client, fair):
    track = await Track.get(event=fair, code="open-source")
    stage = await Stage.get(event=fair, code="store-sal")
    everything = (await client.get("/messe13/programme")).text
    assert len(re.findall(r'<li class="talk[^>]*>', everything)) > 48
    assert not re.search(r'<li class="talk[^>]* hidden>', everything)

    found = await client.get("/messe13/programme", params={"track": track.id})
    shown = re.findall(r'<li class="talk[^"]*" id="talk-(\d+)"[^>]*data-sequence="\d+">', found.text)
    expected = await Talk.filter(event=fair, track=track).values_list("id", flat=True)
    assert sorted(map(int, shown)) == sorted(expected)
    assert f"{len(expected)} foredrag vist" in found.text and 'id="now-list"' not in found.text

    on_stage = await client.get("/messe13/programme", params={"stage": stage.id, "q": "ESTONIAN", "view": "stage"})
    shown = re.findall(r'<li class="talk[^"]*" id="talk-(\d+)"[^>]*data-sequence="\d+">', on_stage.text)
    titles = await Talk.filter(id__in=[int(i) for i in shown]).values_list("title", flat=True)
    assert len(titles) == 1 and "Estonian" in titles[0]
    assert f'<option value="{stage.id}" selected>' in on_stage.text

    ignored = await client.get("/messe13/programme", params={"track": "x", "stage": "9" * 40})
    assert ignored.status_code == 200 and 'id="now-list"' in ignored.text


async def _sign_in(client, attendee) -> dict[str, str]:
    token = await issue_personal_link_token(attendee)
    assert (await client.get(f"/messe13/link/{token}")).status_code == 303
    page = await client.get("/messe13/exhibitors")
    return {"X-CSRF-Token": re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)}


async def test_my_schedule_and_its_calendar_feed(client, fair):
    anonymous = (await client.get("/messe13/me/schedule")).text
    assert 'id="my-schedule"' in anonymous and "Log ind med dit personlige link" in anonymous
    attendee = await Attendee.filter(event=fair).first()
    headers = await _sign_in(client, attendee)
    keynote, clash = await Talk.filter(event=fair).order_by("starts_at").limit(2)
    first, second = await Talk.filter(event=fair, starts_at=clash.starts_at).limit(2)
    for talk in (keynote, first, second):
        assert (await client.put(f"/messe13/api/me/stars/{talk.id}", headers=headers)).status_code == 200

    page = html.unescape((await client.get("/messe13/me/schedule")).text)
    listed = page.split('id="my-schedule"')[1].split("</ul>")[0]
    assert listed.count('<li class="talk') == 3 and f"Overlapper med {second.title}" in listed
    assert "/schedule.ics" not in page.split('id="calendar-title"')[1], "the feed address is on its own page"
    calendar_page = await client.get("/messe13/me/calendar")
    assert calendar_page.headers["cache-control"] == "no-store"
    page = html.unescape(calendar_page.text)
    feed = re.search(r'id="feed-address" class="feed-address" type="url" value="([^"]+)"', page).group(1)
    assert re.fullmatch(rf"http://testserver/messe13/me/{attendee.id}-\d+-[\w-]{{24}}/schedule.ics", feed)
    assert f'href="{feed.replace("http://", "webcal://")}"' in page

    client.cookies.clear()
    calendar = Calendar.from_ical((await client.get(feed)).content)
    assert calendar["x-wr-calname"] == "Mit program – Digitaliseringsmessen 13"
    assert sorted(str(e["summary"]) for e in calendar.walk("VEVENT")) == sorted(
        t.title for t in (keynote, first, second))
    english = Calendar.from_ical((await client.get(feed + "?lang=en")).content)
    assert english["x-wr-calname"] == "My schedule – Digitaliseringsmessen 13"
    assert (await client.get(feed.replace(f"/{attendee.id}-", f"/{attendee.id + 1}-"))).status_code == 404
    assert (await client.get("/messe13/me/not-a-token/schedule.ics")).status_code == 404
    attendee.erased_at = attendee.created_at
    await attendee.save(update_fields=["erased_at"])
    assert (await client.get(feed)).status_code == 404

    chosen = await client.get("/messe13/me/schedule.ics", params={"talks": f"{keynote.id},x,{'9' * 5000}"})
    assert [str(e["summary"]) for e in Calendar.from_ical(chosen.content).walk("VEVENT")] == [keynote.title]


async def test_a_new_personal_link_revokes_the_calendar_feed(client, fair):
    attendee = await Attendee.filter(event=fair).first()
    await _sign_in(client, attendee)
    page = html.unescape((await client.get("/messe13/me/calendar")).text)
    feed = re.search(r'id="feed-address" class="feed-address" type="url" value="([^"]+)"', page).group(1)
    assert (await client.get(feed)).status_code == 200
    await issue_personal_link_token(attendee)  # the organiser's "new personal link"
    assert (await client.get(feed)).status_code == 404


def test_every_text_of_the_app_scripts_has_an_english_translation():
    # the counted ones (both forms): tests/test_i18n_plurals.py
    texts = {text for text in APP_TEXTS.values() if isinstance(text, str)}
    assert len(texts) > 15
    assert untranslated(texts) == []


META_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


async def test_every_public_page_describes_itself_in_the_readers_language(client, fair):
    talk = await Talk.filter(event=fair).exclude(abstract="").order_by("id").first()
    pages = ["/", "/messe13/", "/messe13/programme", f"/messe13/talks/{talk.id}", "/messe13/me/schedule",
             "/messe13/changes", "/messe13/exhibitors", "/messe13/exhibitors/map", "/messe13/login",
             "/messe13/link", "/messe13/no-such-page"]
    for path in pages:
        described = {}
        for language in ("da", "en"):
            client.cookies.set(LANGUAGE_COOKIE, language)  # the saved choice: it survives "/"'s redirect
            response = await client.get(path, follow_redirects=True)
            assert response.headers["content-type"].startswith("text/html"), path
            found = META_DESCRIPTION.findall(response.text)
            assert len(found) == 1, (path, language)
            described[language] = html.unescape(found[0])
            assert 40 <= len(described[language]) <= 160, (path, language, described[language])
        if path == f"/messe13/talks/{talk.id}":
            # its abstract, in the talk's own language, cut at a word
            assert described["da"] == described["en"]
            assert talk.abstract.startswith(described["da"].removesuffix("...").rstrip())
        else:
            assert described["da"] != described["en"], path  # English for English readers
    client.cookies.clear()
    page = (await client.get("/messe13/programme")).text
    assert "Hele programmet for Digitaliseringsmessen 13" in META_DESCRIPTION.search(page).group(1)


async def test_the_apple_touch_icon_is_180_px_and_opaque(client, fair):
    page = (await client.get("/messe13/")).text
    link = re.search(r'<link rel="apple-touch-icon" sizes="180x180" href="([^"]+)">', page)
    assert link, "no 180×180 apple-touch-icon link"
    response = await client.get(link.group(1))
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    image = Image.open(BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (180, 180))
    assert image.mode == "RGB"  # iOS draws transparency black
