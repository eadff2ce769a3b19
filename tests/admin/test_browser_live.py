"""The programme editor, badges, announcements and the live dashboard in Chromium, with phones
listening on the websocket: a move by drag and drop with its impact preview reaching a phone, a
move and a cancellation by keyboard, two organisers editing one talk, a badge batch with its
progress, an announcement for a talk's audience, and axe-core on every one of these pages."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
from websockets.asyncio.client import connect

from tests.accessibility import axe_violations
from tests.admin.conftest import sign_in_browser
from tests.admin.live_data import add_live_data
from tests.admin.test_badges_announcements_dashboard import pdf_text, right_to_left, squeezed
from tests.support.live_server import LiveServer

Frame = dict[str, Any]


class Phone:
    """A websocket client of ``/messe13/ws`` (like the attendees' web app) keeping every frame."""

    def __init__(self, frames: list[Frame]) -> None:
        self.frames = frames

    async def wait_for(self, wanted: Callable[[Frame], bool], timeout: float = 10) -> Frame:
        async with asyncio.timeout(timeout):
            while True:
                found = next((f for f in self.frames if wanted(f)), None)
                if found is not None:
                    return found
                await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def phone(server: LiveServer, session: str | None = None) -> AsyncIterator[Phone]:
    """A phone that has seen everything up to now (``hello`` with the current ``seq``)."""
    async with httpx.AsyncClient() as http:
        since = (await http.get(server.url("api/changes"), params={"limit": 1})).json()["last_seq"]
    headers = {"Cookie": f"messe_session={session}"} if session else {}
    frames: list[Frame] = []
    async with connect(server.url("ws").replace("http", "ws", 1), additional_headers=headers) as socket:
        await socket.send(json.dumps({"type": "hello", "since": since}))

        async def read() -> None:
            async for message in socket:
                frames.append(json.loads(message))

        reader = asyncio.create_task(read())
        try:
            yield Phone(frames)
        finally:
            reader.cancel()


async def stage_ids(server: LiveServer) -> dict[str, int]:
    async with httpx.AsyncClient() as http:
        stages = (await http.get(server.url("api/stages"), params={"per_page": 100})).json()["items"]
    return {s["code"]: s["id"] for s in stages}


async def talk_now(server: LiveServer, talk_id: int) -> Frame:
    async with httpx.AsyncClient() as http:
        return (await http.get(server.url(f"api/talks/{talk_id}"))).json()


async def test_drag_a_talk_see_the_impact_and_the_phone_gets_the_move(admin_page, admin_server):
    page = admin_page
    data = add_live_data(admin_server, {"stars": {"t-021": list(range(10)), "t-024": [0, 1, 2, 6], "t-044": [3],
                                                  "t-031": [6], "t-011": [5]}})
    talk_id = data["talks"]["t-021"]
    lyntale = (await stage_ids(admin_server))["lyntalescenen"]
    # Tall enough to hold the whole grid (it scrolls in its region, at most a window high), so both
    # ends of the drag: Playwright scrolls between pressing the mouse and moving it, and Chromium
    # would then start the drag on whatever is under the pointer.
    await page.set_viewport_size({"width": 1280, "height": 3200})
    await page.goto(admin_server.url("admin/programme"))
    card = page.locator(f"#talk-{talk_id}")
    target = page.locator(f'td.free-cell[data-stage="{lyntale}"][data-start="2026-11-27T11:55"]')
    async with phone(admin_server) as listening:
        await card.drag_to(target)
        dialog = page.locator("#move-dialog")
        await dialog.get_by_role("heading", name=re.compile("Før du gemmer")).wait_for()
        impact = " ".join((await dialog.inner_text()).split())
        assert "10 deltagere har stjernemarkeret foredraget." in impact
        assert "5 af dem får et nyt sammenfald med et andet foredrag, de har stjernemarkeret" in impact
        assert "Scenen har 120 pladser til 10 stjerner." in impact
        assert "Scene Borgerscenen Lyntalescenen" in impact
        assert await page.evaluate("document.activeElement.id") == "impact-heading"
        assert await axe_violations(page) == []
        await dialog.get_by_role("button", name="Gem og send til telefonerne").click()
        await page.wait_for_url(re.compile(r"/admin/programme#talk-\d+$"))
        change = await listening.wait_for(lambda f: f["type"] == "change" and f["talk"]["id"] == talk_id)
    assert change["kind"] == "moved" and change["starred"] is False
    assert change["talk"]["stage"]["name"] == "Lyntalescenen" and change["before"]["stage"]["name"] == "Borgerscenen"
    assert change["talk"]["starts_at"].startswith("2026-11-27T10:55")  # UTC
    assert "er gemt og sendt til deltagernes telefoner" in await page.get_by_role("status").first.inner_text()
    assert page.console_errors == []


async def test_move_and_cancel_by_keyboard(admin_page, admin_server):
    page = admin_page
    talk_id = add_live_data(admin_server, {})["talks"]["t-048"]
    await page.goto(admin_server.url("admin/programme"))
    link = page.locator(f"#talk-{talk_id} a")
    await link.focus()
    await page.keyboard.press("Enter")
    await page.get_by_role("heading", name=re.compile("^Ret foredrag")).wait_for()
    await page.get_by_label("Start").fill("2026-11-27T16:00")
    await page.get_by_label("Varighed i minutter").fill("25")
    await page.get_by_label("Varighed i minutter").press("Enter")
    await page.get_by_role("heading", name=re.compile("Før du gemmer")).wait_for()
    preview = " ".join((await page.locator("#impact").inner_text()).split())
    assert "Start 27. nov. 2026 15:15 27. nov. 2026 16:00" in preview
    async with phone(admin_server) as listening:
        await page.get_by_role("button", name="Gem og send til telefonerne").press("Enter")
        moved = await listening.wait_for(lambda f: f["type"] == "change" and f["talk"]["id"] == talk_id)
        assert moved["kind"] == "retimed"
        await page.goto(admin_server.url(f"admin/programme/talks/{talk_id}"))
        await page.get_by_label("Aflyst").check()
        await page.get_by_role("button", name="Vis konsekvenser").press("Enter")
        await page.get_by_role("button", name="Gem og send til telefonerne").press("Enter")
        cancelled = await listening.wait_for(lambda f: f["type"] == "change" and f["kind"] == "cancelled"
                                             and f["talk"]["id"] == talk_id)
        await page.goto(admin_server.url(f"admin/programme/talks/{talk_id}"))
        await page.get_by_label("I programmet").check()
        await page.get_by_role("button", name="Vis konsekvenser").press("Enter")
        await page.get_by_role("button", name="Gem og send til telefonerne").press("Enter")
        restored = await listening.wait_for(lambda f: f["type"] == "change" and f["kind"] == "added"
                                            and f["talk"]["id"] == talk_id)
    assert cancelled["talk"]["state"] == "cancelled" and restored["talk"]["state"] == "published"
    await page.goto(admin_server.url("admin/programme"))
    assert "talk-card--published" in await page.locator(f"#talk-{talk_id}").get_attribute("class")


async def _second_organiser(chromium, page, server: LiveServer):
    """A second organiser's browser, signed in with an account made on the accounts page."""
    username = f"bo-{secrets.token_hex(3)}"
    await page.goto(server.url("admin/accounts/new"))
    await page.get_by_label("Brugernavn").fill(username)
    await page.get_by_label("Navn", exact=True).fill("Bo Bøgh")
    await page.get_by_label("Adgangskode").fill(server.password)
    await page.get_by_label("Rolle").select_option("organiser")
    await page.get_by_role("button", name="Opret konto").click()
    await page.wait_for_url("**/admin/accounts")
    context = await chromium.new_context(viewport={"width": 1280, "height": 900})
    other = await context.new_page()
    await sign_in_browser(other, server, username)
    return context, other


async def test_two_organisers_editing_one_talk(chromium, admin_page, admin_server):
    anne = admin_page
    context, bo = await _second_organiser(chromium, anne, admin_server)
    try:
        talk_id = add_live_data(admin_server, {})["talks"]["t-030"]
        form = admin_server.url(f"admin/programme/talks/{talk_id}")
        await anne.goto(form)
        await bo.goto(form)
        # Bo makes the talk longer and looks at the impact; meanwhile Anne moves it and saves.
        await bo.get_by_label("Varighed i minutter").fill("30")
        await bo.get_by_role("button", name="Vis konsekvenser").click()
        await bo.get_by_role("button", name="Gem og send til telefonerne").wait_for()
        await anne.get_by_label("Start").fill("2026-11-27T15:30")
        await anne.get_by_role("button", name="Vis konsekvenser").click()
        await anne.get_by_role("button", name="Gem og send til telefonerne").click()
        await anne.wait_for_url(re.compile(r"/admin/programme#talk-\d+$"))
        await bo.get_by_role("button", name="Gem og send til telefonerne").click()
        await bo.get_by_role("heading", name="Foredraget er ændret af en anden").wait_for()
        refusal = " ".join((await bo.locator("#impact").inner_text()).split())
        assert "er ikke gemt" in refusal and "Arrangoer gemte foredraget" in refusal
        assert "Start 27. nov. 2026 15:25 27. nov. 2026 15:30" in refusal
        assert "Slut 27. nov. 2026 15:45 27. nov. 2026 15:50" in refusal
        assert await axe_violations(bo) == []
        now = await talk_now(admin_server, talk_id)
        assert now["starts_at"].startswith("2026-11-27T14:30") and now["ends_at"].startswith("2026-11-27T14:50")
        # Bo decides his change still matters: a new preview on Anne's version, then a save.
        await bo.get_by_role("button", name="Se konsekvenserne af dine ændringer på den nye udgave").click()
        await bo.get_by_role("button", name="Gem og send til telefonerne").click()
        await bo.wait_for_url(re.compile(r"/admin/programme#talk-\d+$"))
        now = await talk_now(admin_server, talk_id)
        assert now["starts_at"].startswith("2026-11-27T14:30") and now["ends_at"].startswith("2026-11-27T15:00")
    finally:
        await context.close()


async def test_badge_batch_by_filter_with_progress(admin_page, admin_server, tmp_path):
    page = admin_page
    organisation = admin_server.attendees[7]["organisation"]
    names = [a["name"] for a in admin_server.attendees if a["organisation"] == organisation]
    await page.goto(admin_server.url("admin/badges"))
    await page.get_by_label("Organisation").fill(organisation)
    await page.get_by_label("Kun dem, der ikke har fået printet badge").check()
    await page.get_by_text(f"{len(names)} deltagere passer til valget.").wait_for()
    await page.get_by_role("button", name=f"Lav PDF med {len(names)} badges").click()
    await page.wait_for_url(re.compile(r"/admin/badges/jobs/[0-9a-f]{16}$"))
    assert await axe_violations(page) == []
    await page.get_by_role("status").filter(has_text="Færdig").wait_for(timeout=60_000)
    progress = page.get_by_role("progressbar", name="Fremdrift")
    assert await progress.get_attribute("max") == str(len(names))
    assert await progress.evaluate("bar => bar.value") == len(names)
    assert f"{len(names)} af {len(names)} badges (100 %)" in await page.locator("[data-job-count]").inner_text()
    async with page.expect_download() as download:
        await page.get_by_role("link", name="Hent PDF'en").click()
    pdf = tmp_path / "badges.pdf"
    await (await download.value).save_as(pdf)
    printed = pdf_text(pdf)
    assert all(squeezed(name) in printed for name in names if not right_to_left(name))
    await page.goto(admin_server.url("admin/badges?organisation=" + organisation + "&unprinted=on"))
    assert "0 deltagere passer til valget." in await page.get_by_role("status").first.inner_text()


async def test_announcement_reaches_the_phones_of_those_who_starred_the_talk(admin_page, admin_server):
    page = admin_page
    data = add_live_data(admin_server, {"stars": {"t-005": [20, 21]}, "link_for": 20})
    talk_id = data["talks"]["t-005"]
    async with httpx.AsyncClient() as http:
        signed_in = await http.get(admin_server.url(f"link/{data['link']}"))
        session = signed_in.cookies.get("messe_session") or http.cookies.get("messe_session")
    assert session
    async with phone(admin_server, session) as starring, phone(admin_server) as anonymous:
        await page.goto(admin_server.url("admin/announcements"))
        await page.get_by_label("Overskrift").fill("Keynoten begynder ti minutter senere")
        await page.get_by_label("Tekst").fill("Vi venter på strømmen.")
        await page.get_by_label("Til").select_option(str(talk_id))
        assert await axe_violations(page) == []
        page.once("dialog", lambda dialog: dialog.accept())
        await page.get_by_role("button", name="Send meddelelsen").click()
        await page.wait_for_url("**/admin/announcements")
        loud = await starring.wait_for(lambda f: f["type"] == "announcement")
        quiet = await anonymous.wait_for(lambda f: f["type"] == "announcement")
    assert loud["title"] == quiet["title"] == "Keynoten begynder ti minutter senere"
    assert loud["talk"]["id"] == talk_id and loud["starred"] is True and quiet["starred"] is False
    assert "Keynoten begynder ti minutter senere" in await page.locator("table").inner_text()


async def test_dashboard_updates_live(admin_page, admin_server):
    page = admin_page
    add_live_data(admin_server, {"checkins": 20, "scans": 9})
    await page.goto(admin_server.url("admin/dashboard"))
    card = page.locator(".card").filter(has_text="Tjekket ind").locator(".card__number")
    before = int(await card.inner_text())
    assert await page.get_by_role("img", name="Indtjekninger pr. kvarter").count() == 1
    assert await page.get_by_role("button", name="Stop automatisk opdatering").is_visible()
    add_live_data(admin_server, {"checkins": 30})
    await page.wait_for_function(
        "n => Number([...document.querySelectorAll('#dashboard-live .card')].find(c => c.textContent"
        ".includes('Tjekket ind')).querySelector('.card__number').textContent) > n", arg=before, timeout=15_000)
    await page.get_by_role("button", name="Stop automatisk opdatering").click()
    assert await page.get_by_role("button", name="Start automatisk opdatering").is_visible()


async def test_axe_finds_no_violations_on_the_new_admin_pages(admin_page, admin_server):
    page = admin_page
    # A workshop moved into the lunch break with more stars than its room seats: the capacity page
    # then suggests a larger stage that is free.
    data = add_live_data(admin_server, {"stars": {"t-042": list(range(200, 290))}, "checkins": 10, "scans": 5})
    talk_id = data["talks"]["t-042"]
    problems = {}
    for path in ("admin/programme", "admin/programme?lang=en", f"admin/programme/talks/{talk_id}",
                 "admin/badges", "admin/announcements", "admin/dashboard", "admin/dashboard?lang=en", "admin/"):
        await page.goto(admin_server.url(path))
        problems[path] = await axe_violations(page)
    await page.goto(admin_server.url(f"admin/programme/talks/{talk_id}"))
    await page.get_by_label("Varighed i minutter").fill("1")
    await page.get_by_role("button", name="Vis konsekvenser").click()
    problems["talk form with errors"] = await axe_violations(page)
    await page.get_by_label("Varighed i minutter").fill("30")
    await page.get_by_label("Start").fill("2026-11-27T10:50")
    await page.get_by_role("button", name="Vis konsekvenser").click()
    assert "Kan ikke gemmes" in await page.locator("#impact").inner_text()
    problems["preview that breaks a rule"] = await axe_violations(page)
    await page.get_by_role("button", name="Ret ændringen").click()
    await page.get_by_label("Start").fill("2026-11-27T12:05")
    await page.get_by_role("button", name="Vis konsekvenser").click()
    problems["preview"] = await axe_violations(page)
    await page.get_by_role("button", name="Gem og send til telefonerne").click()
    await page.goto(admin_server.url("admin/programme/capacity"))
    problems["capacity"] = await axe_violations(page)
    await page.get_by_role("button", name=re.compile(r"^Flyt til .*Workshop: Brug rammearkitekturens")).click()
    assert "90 deltagere har stjernemarkeret foredraget." in await page.locator("#impact").inner_text()
    problems["capacity move preview"] = await axe_violations(page)
    swap = f"admin/programme/capacity/swap?talk={talk_id}&other={data['talks']['t-001']}"
    await page.goto(admin_server.url(swap))
    problems["swap confirmation"] = await axe_violations(page)
    await page.goto(admin_server.url(swap + "&lang=en"))
    assert await page.get_by_role("button", name="Swap stages and send to the phones").is_visible()
    assert {path: found for path, found in problems.items() if found} == {}
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
