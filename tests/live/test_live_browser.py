"""The phone's view in Chromium: the programme pages pass axe-core, and a moved talk shows up on an
open programme page without reloading it."""

from __future__ import annotations

import re

from tests.accessibility import axe_violations
from tests.admin.conftest import chromium  # noqa: F401 (the browser fixture)
from tests.live.conftest import Server, last_seq, move, new_talk

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


async def test_programme_pages_are_accessible(chromium, sqlite_installation):  # noqa: F811
    async with Server(sqlite_installation) as server, server.api() as api:
        talk = await new_talk(api)
        await api.patch(f"/api/talks/{talk['id']}", json={"state": "cancelled"})
        context = await chromium.new_context(**PHONE)
        page = await context.new_page()
        for path in ("/messe13/", "/messe13/programme?view=stage", f"/messe13/talks/{talk['id']}",
                     "/messe13/changes", "/messe13/programme?lang=en"):
            await page.goto(server.base + path)
            assert await axe_violations(page) == [], path
        await context.close()


async def test_an_open_programme_page_shows_a_move_at_once(chromium, sqlite_installation):  # noqa: F811
    async with Server(sqlite_installation) as server, server.api() as api:
        talk = await new_talk(api, title="Flyttes under messen")
        context = await chromium.new_context(**PHONE)
        page = await context.new_page()
        errors: list[str] = []  # script errors, and our own resources that failed (the browser's favicon aside)
        page.on("console", lambda message: message.type == "error" and not message.text.startswith(
            "Failed to load resource") and errors.append(message.text))
        page.on("response", lambda response: response.status >= 400 and "favicon" not in response.url
                and errors.append(response.url))
        await page.goto(f"{server.base}/messe13/programme?view=stage")
        assert await page.locator("#live").get_attribute("data-seq") == str(await last_seq(api))
        await page.wait_for_timeout(300)  # the socket opens and says hello

        await move(api, talk, 45)
        notice = page.locator("#live-polite p")
        await notice.first.wait_for(timeout=5000)
        assert re.fullmatch(r"'Flyttes under messen' er flyttet til kl\. 11:45–12:05 \(var kl\. 10:00–10:20\)",
                            await notice.first.inner_text())
        item = page.locator(f"#talk-{talk['id']}")
        await page.wait_for_function(
            "id => document.querySelector(`#talk-${id}`)?.innerText.includes('11:45')", arg=talk["id"])
        assert "10:00" not in await item.inner_text()
        assert errors == []
        await context.close()
