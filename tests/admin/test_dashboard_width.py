"""The live dashboard with the demo's stars: every column of its tables fits a laptop screen."""

from __future__ import annotations

import pytest

from tests.admin.conftest import sign_in_browser
from tests.support.live_server import LiveServer, start_live_server
from tests.test_cli import messe


@pytest.fixture(scope="module")
def starred_server(tmp_path_factory: pytest.TempPathFactory):
    """A live server on a fair seeded by ``messe seed``, so the attendees have starred talks."""
    folder = tmp_path_factory.mktemp("starred")
    url = f"sqlite://{folder / 'messe.sqlite3'}"
    for command in (["migrate"], ["seed"]):
        done = messe(*command, database_url=url)
        assert done.returncode == 0, done.stderr
    with start_live_server(folder, database_url=url, attendees=None) as server:
        yield server


@pytest.mark.parametrize("width", [1280, 1366])
async def test_the_most_starred_table_fits_at_laptop_widths(chromium, starred_server: LiveServer, width):
    context = await chromium.new_context(viewport={"width": width, "height": 900})
    page = await context.new_page()
    try:
        await sign_in_browser(page, starred_server)
        await page.goto(starred_server.url("admin/dashboard"))
        table = page.get_by_role("table", name="Mest stjernemarkerede foredrag mod scenens pladser")
        assert await table.locator("tbody tr").count() == 10
        fits = await table.evaluate("""table => {
            const box = table.parentElement, fill = table.querySelector('thead th:last-child');
            return box.scrollWidth <= box.clientWidth
                && fill.getBoundingClientRect().right <= box.getBoundingClientRect().right
                && document.documentElement.scrollWidth <= window.innerWidth;
        }""")
        assert fits, "the Fyldt column is cut off or the page scrolls sideways"
        assert "for få pladser" in await table.inner_text()  # the demo's stars crowd the small stages
    finally:
        await context.close()
