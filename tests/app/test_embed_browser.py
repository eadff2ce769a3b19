"""The embeddable programme in a real browser: a site named in ``MESSE_EMBED_ORIGINS`` shows it
in a frame and a talk opens the app in a new tab; the same site cannot frame any other page, and a
site not named cannot frame the embed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from unittest import mock

import pytest
from playwright.async_api import expect

from tests.support.live_server import LiveServer, start_live_server

ALLOWED = "http://localhost:8301"
STRANGER = "http://localhost:8302"


@pytest.fixture(scope="module")
def embedding_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with mock.patch.dict(os.environ, {"MESSE_EMBED_ORIGINS": ALLOWED}):
        server = start_live_server(tmp_path_factory.mktemp("embed-live"), attendees=0)
    try:
        yield server
    finally:
        server.stop()


async def site_framing(chromium, site: str, server: LiveServer, *paths: str):
    """A page of ``site`` (played by the browser's routing) with a frame of each of ``paths``."""
    context = await chromium.new_context(viewport={"width": 390, "height": 844})
    # The test's server is on this machine, which a site may reach only with the visitor's leave
    # (Chromium's local network access); a real messe is on the internet. Only the CSP decides here.
    await context.grant_permissions(["local-network-access"])
    frames = "".join(f'<iframe name="f{n}" title="{path}" src="{server.url(path)}" width="380" height="400"></iframe>'
                     for n, path in enumerate(paths))
    await context.route(f"{site}/", lambda route: route.fulfill(
        content_type="text/html", body=f"<!doctype html><html lang=da><title>Intranet</title>{frames}</html>"))
    page = await context.new_page()
    await page.goto(f"{site}/")
    await page.wait_for_load_state("load")
    return page


async def shows_messe(page, name: str) -> bool:
    frame = page.frame(name=name)
    return frame is not None and await frame.locator("main#main").count() == 1


async def test_an_allowed_site_frames_the_embed_and_its_links_open_the_app(chromium, embedding_server):
    page = await site_framing(chromium, ALLOWED, embedding_server, "embed", "programme", "talks/1")
    await expect(page.frame_locator("[name=f0]").get_by_role("heading", level=1)).to_contain_text("Program")
    assert not await shows_messe(page, "f1") and not await shows_messe(page, "f2")  # only the embed
    embed = page.frame_locator("[name=f0]")
    await expect(embed.locator(".talk").first).to_be_visible()
    assert await embed.get_by_role("button").count() == 0  # no stars: nothing here to sign in to
    assert await embed.locator(".site-header, .tab-bar, #live").count() == 0
    talk = page.frame_locator("[name=f0]").locator(".talk__title a").first
    async with page.context.expect_page() as opened:
        await talk.click()
    app = await opened.value
    await app.wait_for_load_state()
    assert "/messe13/talks/" in app.url and await app.locator(".site-header").count() == 1
    await page.context.close()


async def test_a_site_not_named_cannot_frame_the_embed(chromium, embedding_server):
    page = await site_framing(chromium, STRANGER, embedding_server, "embed")
    await page.wait_for_timeout(500)
    assert not await shows_messe(page, "f0")
    await page.context.close()
