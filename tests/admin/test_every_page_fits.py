"""Zoom and reflow on every page of messe (WCAG 1.4.4, 1.4.10; issues 13 and 17): no page scrolls
sideways at 320 px, no text is cut off or sticks out of its box at 200 % text, and every admin page
works on a phone (390 px): axe-clean, no word broken inside, the programme a list by time.

The pages are read from the application's route table (as tests/web/test_role_matrix.py
reads them), each walked by the role it is for: admin pages by the organiser, lead pages by an
exhibitor's staffer, the door by door staff, the attendee's own pages by a signed-in attendee, the
rest anonymously and by the attendee. A route with an id is visited by the first link to it found
on the pages walked before, so a new page is walked without a change here, and a page no link leads
to fails until it gets one (or an entry in ``QUERY_OF`` or ``ID_FROM_API``). One browser: a context
per role, one tab each, reused for every page that role walks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from messe.app import create_app
from messe.config import Settings
from tests.accessibility import axe_violations
from tests.admin.live_data import add_live_data
from tests.support.live_server import LiveServer
from tests.web.conftest import http_routes

# Routes that answer with a file or data, not a page somebody reads.
NOT_A_PAGE = re.compile(r"/api/|\.\w+$")
# Which role walks a page, by where it lives; every other page is walked anonymously and by an attendee.
ROLE_OF_PREFIX = {"/{event}/admin/": "organiser", "/{event}/leads/": "exhibitor", "/{event}/checkin/": "door",
                  "/{event}/me/": "attendee"}
# Pages whose address holds a secret nobody links to: visited with a made-up one (its error page).
MADE_UP = {"{token}": "no-such-token"}
# Pages that need a choice made on the page before, offered there only when the data calls for it:
# opened with two talks (the first ones the programme links to).
QUERY_OF = {"/{event}/admin/programme/capacity/swap": "?talk={0}&other={1}"}
# Pages no link leads to before a script draws one: their record's id from the API list of that role.
ID_FROM_API = {"/{event}/leads/{id:int}": "api/leads"}
TALK_LINK = re.compile(r"/admin/programme/talks/(\d+)$")


def page_routes() -> list[str]:
    """Every GET route of the application that answers with a page."""
    app = create_app(Settings(database_url="sqlite://:memory:", secret_key="x" * 40, base_url="http://testserver"))
    return sorted({path for path, method in http_routes(app.routes) if method == "GET" and not NOT_A_PAGE.search(path)})


def roles_of(path: str) -> tuple[str, ...]:
    if "{token}" in path:  # visited by someone not signed in (it would sign them in)
        return ("anonymous",)
    for prefix, role in ROLE_OF_PREFIX.items():
        if path.startswith(prefix):
            return (role,)
    return ("anonymous", "attendee")


def pattern_of(path: str, event: str) -> re.Pattern[str]:
    """The addresses of a route with parameters, as links on the pages show them."""
    pattern = re.escape(path.replace("{event}", event))
    pattern = re.sub(r"\\{\w+:int\\}", r"\\d+", pattern)
    pattern = re.sub(r"\\{\w+\\}", r"[^/?#.]+", pattern)
    return re.compile(f"^{pattern}$")


@dataclass
class Site:
    """Browser contexts signed in as each role, and the pages each role walks."""

    contexts: dict[str, object]
    pages: dict[str, list[str]]  # role -> paths

    def walk(self):
        for role, paths in self.pages.items():
            for path in paths:
                yield role, path


LINKS = "() => [...document.querySelectorAll('a[href]')].map((a) => new URL(a.href, location.href))" \
        ".filter((u) => u.origin === location.origin).map((u) => u.pathname + u.search)"


@pytest.fixture(scope="module")
async def site(chromium, admin_server: LiveServer, organiser_state: dict):
    data = add_live_data(admin_server, {"stars": {"t-005": [1, 2]}, "checkins": 3, "scans": 6, "link_for": 9})
    walked = await open_site(chromium, admin_server, organiser_state, data["link"])
    yield walked
    for context in walked.contexts.values():
        await context.close()


async def open_site(chromium, admin_server: LiveServer, organiser_state: dict, link: str) -> Site:
    """A context per role, signed in (the attendee by the personal ``link``), and every page each walks."""
    event = admin_server.event
    contexts = {"organiser": await chromium.new_context(storage_state=organiser_state),
                "anonymous": await chromium.new_context()}
    for role, username in (("door", "doer"), ("exhibitor", "udstiller-a")):
        contexts[role] = await chromium.new_context()
        page = await contexts[role].new_page()
        await page.goto(admin_server.url("login"))
        await page.get_by_label("Brugernavn").fill(username)
        await page.get_by_label("Adgangskode").fill(admin_server.password)
        await page.get_by_role("button", name="Log ind").click()
        await page.wait_for_load_state()
        await page.close()
    contexts["attendee"] = await chromium.new_context()
    page = await contexts["attendee"].new_page()
    await page.goto(admin_server.url(f"link/{link}"))
    await page.close()
    # A badge print job, so its page has a link to it.
    page = await contexts["organiser"].new_page()
    organisation = admin_server.attendees[0]["organisation"]
    await page.goto(admin_server.url("admin/badges") + f"?organisation={organisation}")
    await page.locator("#badge-selection form button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/admin/badges/jobs/"))
    await page.close()

    pages: dict[str, list[str]] = {role: [] for role in contexts}
    links: dict[str, list[str]] = {role: [] for role in contexts}  # every link seen by each role
    tabs = {role: await context.new_page() for role, context in contexts.items()}

    async def address_of(path: str, role: str) -> str | None:
        """Where a route's page is: its own address, or (a page with an id, or one that needs a
        choice made on the page before) the first link to it, or a record of the API's."""
        concrete = path.replace("{event}", event)
        for name, value in MADE_UP.items():
            concrete = concrete.replace(name, value)
        if path in QUERY_OF:
            talks = [match.group(1) for link in links[role] if (match := TALK_LINK.search(link))]
            return concrete + QUERY_OF[path].format(*talks)
        if path in ID_FROM_API:
            answer = await contexts[role].request.get(admin_server.url(ID_FROM_API[path]))
            return concrete.replace("{id:int}", str((await answer.json())["items"][0]["id"]))
        if "{" not in concrete:
            return concrete
        pattern = pattern_of(path, event)
        return next((link for link in links[role] if pattern.match(link.split("?")[0])), None)

    unreached = []
    # Pages without parameters first; their links lead to the others.
    for path in sorted(page_routes(), key=lambda path: "{" in path.replace("{event}", "")):
        for role in roles_of(path):
            concrete = await address_of(path, role)
            if concrete is None:
                unreached.append(f"{role}: {path}")
                continue
            response = await tabs[role].goto(admin_server.base_url + concrete)
            # A made-up secret gets its error page.
            assert response.ok or any(name in path for name in MADE_UP), (role, concrete, response.status)
            pages[role].append(concrete)
            links[role] += await tabs[role].evaluate(LINKS)
    for page in tabs.values():
        await page.close()
    assert unreached == [], f"no link leads to these pages: {unreached}"
    assert len(pages["organiser"]) > 30 and pages["door"] and pages["exhibitor"] and pages["attendee"]
    return Site(contexts, pages)


async def _pages(site: Site, viewport: dict[str, int]):
    """One page per role, at ``viewport``, reused for every address that role walks."""
    pages = {}
    for role, context in site.contexts.items():
        pages[role] = await context.new_page()
        await pages[role].set_viewport_size(viewport)
    return pages


async def _open(page, server: LiveServer, path: str) -> None:
    await page.goto(server.base_url + path, wait_until="load")


WIDER_THAN_THE_WINDOW = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')].filter((node) => !node.parentElement.closest('.table-scroll')
            && node.getBoundingClientRect().right > width + 1 && node.getClientRects().length)
        .map((node) => node.tagName.toLowerCase() + (node.id ? '#' + node.id : '') + '.' + node.className)
        .slice(0, 6);
}"""


# The links and buttons of the header and the tab bar smaller than a finger's 44 × 44 px.
SMALL_TARGETS = """() => [...document.querySelectorAll('.site-header a, .site-header button, .tab-bar a')]
    .filter((node) => node.getClientRects().length)
    .map((node) => [node.textContent.trim(), node.getBoundingClientRect()])
    .filter(([, box]) => box.width < 43.5 || box.height < 43.5)
    .map(([text, box]) => `${text} ${Math.round(box.width)}×${Math.round(box.height)}`)"""


async def test_no_page_scrolls_sideways_at_320_px_and_header_targets_fit_a_finger(site: Site,
                                                                                  admin_server: LiveServer):
    pages = await _pages(site, {"width": 320, "height": 640})
    wide, small = {}, {}
    for role, path in site.walk():
        page = pages[role]
        await _open(page, admin_server, path)
        if await page.evaluate("() => document.scrollingElement.scrollWidth > window.innerWidth"):
            wide[f"{role} {path}"] = await page.evaluate(WIDER_THAN_THE_WINDOW)
        if targets := await page.evaluate(SMALL_TARGETS):
            small[f"{role} {path}"] = targets
    for page in pages.values():
        await page.close()
    assert (wide, small) == ({}, {})


# Text that is cut off or sticks out of its box: an element with text of its own whose content is
# wider (or, when it hides its overflow, taller) than the element, unless the element is a region
# that scrolls (a table in .table-scroll) or a form field (its value scrolls inside it).
CLIPPED_TEXT = """() => {
    const own = (node) => [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
    const scrolls = (style) => /auto|scroll/.test(style.overflowX + style.overflowY);
    return [...document.querySelectorAll('body *')].filter((node) => {
        if (!node.getClientRects().length) return false;
        if (node.closest('.visually-hidden, svg, input, textarea, select')) return false;
        const style = getComputedStyle(node);
        if (style.display === 'inline' || scrolls(style)) return false;
        const hides = style.overflowX !== 'visible' || style.overflowY !== 'visible'
                      || style.textOverflow === 'ellipsis';
        const wide = node.scrollWidth > node.clientWidth + 1, tall = hides && node.scrollHeight > node.clientHeight + 1;
        return (own(node) || node.matches('th, td')) && (wide || tall);
    }).map((node) => node.tagName.toLowerCase() + '.' + node.className + ': ' + node.textContent.trim().slice(0, 40))
      .slice(0, 6);
}"""


@pytest.mark.parametrize("width", [1280, 390])
async def test_no_text_is_cut_off_at_200_percent_text(site: Site, admin_server: LiveServer, width: int):
    """On a laptop and on a phone whose text size is set to 200 %."""
    pages = await _pages(site, {"width": width, "height": 900})
    clipped = {}
    for role, path in site.walk():
        page = pages[role]
        await _open(page, admin_server, path)
        # What a browser's text size setting of 200 % does: every size given in rem and em doubles.
        await page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        if found := await page.evaluate(CLIPPED_TEXT):
            clipped[f"{role} {path}"] = found
    for page in pages.values():
        await page.close()
    assert clipped == {}


# Words shown on two lines or more: a word of letters only (no hyphen, slash or address, where a
# break is expected) whose letters lie on more than one line.
BROKEN_WORDS = """() => {
    const broken = [], walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const text = walker.currentNode;
        if (text.parentElement.closest('.visually-hidden, [hidden], script, style')) continue;
        for (const match of text.textContent.matchAll(/[\\p{L}\\p{N}]{2,}/gu)) {
            const range = document.createRange();
            range.setStart(text, match.index);
            range.setEnd(text, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
            if (tops.size > 1) broken.push(match[0]);
        }
    }
    return broken.slice(0, 8);
}"""


async def test_every_admin_page_works_on_a_phone(site: Site, admin_server: LiveServer):
    page = (await _pages(site, {"width": 390, "height": 844}))["organiser"]
    problems = {}
    for role, path in site.walk():
        if role != "organiser":
            continue
        await _open(page, admin_server, path)
        found = [f"broken: {word}" for word in await page.evaluate(BROKEN_WORDS)]
        found += await axe_violations(page)
        if await page.evaluate("() => document.scrollingElement.scrollWidth > window.innerWidth"):
            found.append("scrolls sideways")
        if found:
            problems[path] = found
    await page.close()
    assert problems == {}


async def test_on_a_phone_the_programme_is_a_list_by_time(admin_page, admin_server: LiveServer):
    page = admin_page
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(admin_server.url("admin/programme"))
    assert await page.locator(".programme-grid").first.is_hidden()
    talks = page.locator(".programme-list li")
    assert await talks.count() == await page.locator(".programme-grid .talk-card").count() >= 40
    # Each talk with its time and stage, in the order they start, its title a link to its form.
    first = talks.first
    assert re.fullmatch(r"\d\d:\d\d–\d\d:\d\d · \S.*", await first.locator(".talk-card__line").first.inner_text())
    await first.get_by_role("link", name=re.compile("^Ret: ")).wait_for()
    starts = await page.locator(".programme-list time").evaluate_all(
        "nodes => nodes.map((node) => Date.parse(node.dateTime))")
    assert starts == sorted(starts)
    await page.get_by_role("heading", name=re.compile(r"^Programmet .*, tid for tid$")).first.wait_for()
    # Where there is room for a column per stage, the grid.
    await page.set_viewport_size({"width": 1280, "height": 900})
    assert await page.locator(".programme-grid").first.is_visible()
    assert await page.locator(".programme-list").first.is_hidden()


async def test_on_a_phone_the_admin_menu_is_one_line_that_opens(admin_page, admin_server: LiveServer):
    page = admin_page
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(admin_server.url("admin/attendees"))
    menu = page.get_by_role("navigation", name="Administration")
    fold = menu.locator("summary")
    assert await fold.inner_text() == "Menu: Deltagere"
    assert await menu.get_by_role("link").count() == 0  # folded: the page's own heading comes next
    assert (await fold.bounding_box())["height"] >= 44
    # The page's heading in the top half of the first screen, not below a screenful of menu.
    assert (await page.locator("main h1").bounding_box())["y"] < 844 / 2
    await fold.focus()
    await page.keyboard.press("Enter")
    await menu.get_by_role("link", name="Program", exact=True).wait_for()
    assert await menu.get_by_role("link", name="Deltagere", exact=True).get_attribute("aria-current") == "page"
    # In a wide window the menu is a sidebar, always open, with no fold.
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.reload()
    assert await fold.is_hidden()
    assert await menu.get_by_role("link").count() > 10
