"""WCAG 2.1 AA beyond what axe-core sees (issue 17): where focus is after each step for a keyboard
or screen-reader user, no sideways scrolling on a phone, and the language of every piece of text
in the other language marked."""

from __future__ import annotations

from tests.accessibility import axe_violations
from tests.app.conftest import personal_link
from tests.app.test_live_alerts import open_programme, star_of
from tests.live.conftest import new_talk


async def focused(page) -> dict:
    """What has keyboard focus now: its tag, id, classes, and text (body when focus was dropped)."""
    return await page.evaluate("""() => { const node = document.activeElement;
        return { tag: node.tagName.toLowerCase(), id: node.id, classes: [...node.classList],
                 text: node.textContent.trim().slice(0, 200) }; }""")


async def sign_in_as(page, server, username: str, landing: str) -> None:
    await page.goto(server.url("login"))
    await page.fill("#username", username)
    await page.fill("#password", server.password)
    await page.click('form[action$="/login"] button[type="submit"]')
    await page.wait_for_url(server.url(landing))


async def test_a_rejected_walk_in_focuses_an_error_summary_that_leads_to_the_field(phone, app_server):
    page = await (await phone()).new_page()
    await sign_in_as(page, app_server, "doer", "checkin/")
    # The camera picture is hidden until the camera is on: no black box on screen or for screen readers.
    assert await page.locator("#camera").evaluate("node => node.getClientRects().length") == 0
    await page.fill("#walk-in-name", "   ")
    await page.press("#walk-in-name", "Enter")
    await page.wait_for_load_state()
    await page.wait_for_function("() => document.activeElement !== document.body")
    now = await focused(page)
    assert "error-summary" in now["classes"], now
    assert await page.evaluate("() => document.activeElement.getAttribute('role')") == "alert"
    # The summary is on screen, and its link takes the keyboard to the name field.
    box = await page.evaluate("() => document.activeElement.getBoundingClientRect().toJSON()")
    assert 0 <= box["top"] < 844
    link = page.locator(".error-summary a[href='#walk-in-name']")
    assert "Navn" in await link.inner_text()
    await page.keyboard.press("Tab")
    assert (await focused(page))["tag"] == "a"
    await page.keyboard.press("Enter")
    assert (await focused(page))["id"] == "walk-in-name"
    assert await axe_violations(page) == []


async def test_my_data_fits_a_phone_with_every_value_readable(phone, app_server, database):
    for width in (320, 390, 412):
        page = await (await phone(viewport={"width": width, "height": 844})).new_page()
        await page.goto(personal_link(app_server, database, 5))
        await page.goto(app_server.url("me/data"))
        assert await page.evaluate("() => document.documentElement.scrollWidth") <= width
        values = await page.evaluate("""() => [...document.querySelectorAll('.facts dd')].map(
            (node) => { const box = node.getBoundingClientRect(); return [node.textContent, box.left, box.right]; })""")
        assert values
        for text, left, right in values:  # each value on screen, in a column wide enough for words
            assert left >= 0 and right <= width and right - left >= width / 2, (width, text, left, right)


async def test_the_calendar_page_is_axe_clean_on_a_phone_and_a_laptop(phone, app_server, database):
    for width in (390, 1280):
        page = await (await phone(viewport={"width": width, "height": 844})).new_page()
        await page.goto(personal_link(app_server, database, 8))
        await page.goto(app_server.url("me/calendar"))
        assert await page.get_by_label("Adresse til din kalender-app").input_value()
        assert await page.evaluate("() => document.documentElement.scrollWidth") <= width
        assert await axe_violations(page) == []


async def fill_the_alert_area(page, api, name: str) -> None:
    """A clash alert about starred talks, an urgent and an ordinary announcement, and notices."""
    first = await new_talk(api, title=f"{name} A")
    second = await new_talk(api, title=f"{name} B", starts_at="2026-11-27T11:00:00+01:00",
                            ends_at="2026-11-27T11:20:00+01:00")
    await page.reload()
    await star_of(page, f"{name} A").click()
    await star_of(page, f"{name} B").click()
    await api.patch(f"api/talks/{second['id']}", json={"starts_at": "2026-11-27T10:05:00+01:00"})
    await api.post("api/announcements", json={"title": "Brand i hal B", "body": "Gå mod udgangene " * 8,
                                              "level": "urgent"})
    await api.post("api/announcements", json={"title": "Velkommen", "body": "Kaffen er klar " * 8, "level": "info"})
    await api.patch(f"api/talks/{first['id']}", json={"abstract": "Nyt resumé"})
    await page.locator("#live-alert .alert__choice").wait_for()
    await page.locator("#live-alert .banner").wait_for()
    await page.locator("#live-polite .banner").wait_for()
    await page.evaluate(SETTLED)


# Until nothing on the page has changed for half a second (the last change's notice has come and
# the moved talk has taken its new place), at most three seconds: on a busy machine they come later.
SETTLED = """() => new Promise((resolve) => {
    let quiet = setTimeout(done, 500);
    const observer = new MutationObserver(() => { clearTimeout(quiet); quiet = setTimeout(done, 500); });
    const limit = setTimeout(done, 3000);
    function done() { observer.disconnect(); clearTimeout(limit); resolve(); }
    observer.observe(document.body, {subtree: true, childList: true});
})"""


# The focused control is hidden when, at its top edge or its middle, what the window shows on top
# is part of the alert area (a fixed tab bar drawn over an alert area that scrolls with the page is not).
HIDDEN_UNDER_THE_ALERTS = """() => {
    const node = document.activeElement, live = document.getElementById("live");
    if (live.contains(node) || node === document.body) return null;
    const box = node.getBoundingClientRect(), x = (box.left + box.right) / 2;
    for (const y of [box.top + 2, (box.top + box.bottom) / 2]) {
        const shown = document.elementFromPoint(x, y);
        if (shown && live.contains(shown)) return node.outerHTML.slice(0, 120);
    }
    return null;
}"""


async def test_the_alert_area_never_hides_focus_or_the_page(phone, app_server, api):
    """On a phone, a phone held sideways and a laptop, with the alert area full; axe-clean so too."""
    laptop = {"is_mobile": False, "has_touch": False}
    for viewport, device in (({"width": 390, "height": 844}, {}), ({"width": 640, "height": 360}, {}),
                             ({"width": 1280, "height": 900}, laptop)):
        page = await open_programme(phone, app_server, viewport=viewport, **device)
        await fill_the_alert_area(page, api, f"Fyldt {viewport['width']}")
        # Sticking to the top of the window, it takes a third of it at most; taller, it scrolls with the page.
        height, position = await page.evaluate("""() => { const live = document.getElementById('live');
            return [live.getBoundingClientRect().height, getComputedStyle(live).position]; }""")
        assert position == "static" or height <= viewport["height"] / 3 + 1, (viewport, height, position)
        # Walk back up the page from its end with Shift+Tab: no stop ends underneath the alerts.
        await page.evaluate("() => document.querySelector('.site-footer').setAttribute('tabindex', '-1')")
        await page.locator(".site-footer").focus()
        hidden = []
        for _ in range(30):
            await page.keyboard.press("Shift+Tab")
            if covered := await page.evaluate(HIDDEN_UNDER_THE_ALERTS):
                hidden.append(covered)
        assert hidden == [], viewport
        assert await axe_violations(page) == []


async def test_closing_alerts_from_the_keyboard_keeps_focus_on_the_page(phone, app_server, api):
    page = await open_programme(phone, app_server)
    await fill_the_alert_area(page, api, "Lukkes")
    closes = page.locator("#live .alert__close")
    count = await closes.count()
    assert count >= 3
    # Each "Luk" is described by its own message, so a screen reader can tell them apart.
    descriptions = await page.evaluate("""() => [...document.querySelectorAll('#live .alert__close')].map(
        (button) => document.getElementById(button.getAttribute('aria-describedby'))?.textContent)""")
    assert None not in descriptions and len(set(descriptions)) == count, descriptions
    await closes.first.focus()
    for left in range(count - 1, -1, -1):
        await page.keyboard.press("Enter")
        now = await focused(page)
        assert now["tag"] != "body", left
        assert await closes.count() == left
        if left:  # on to the next alert's first control, still in the alert area
            assert await page.evaluate("() => document.getElementById('live').contains(document.activeElement)")
            if "alert__close" not in now["classes"]:
                await page.locator("#live .alert__close").first.focus()
        else:  # the last one: the page's heading
            assert now["tag"] == "h1", now


async def test_now_and_next_keep_focus_when_they_change(phone, app_server, api):
    talk = await new_talk(api, title="Nu i fokus", starts_at="2026-11-27T15:00:00+01:00",
                          ends_at="2026-11-27T15:30:00+01:00")
    context = await phone()
    page = await context.new_page()
    await page.clock.install(time="2026-11-27T15:10:00+01:00")
    await page.goto(app_server.url("programme"))
    await page.locator('#connection[data-connected="true"]').wait_for(state="attached")
    star = page.locator(f"#now-list [data-talk='{talk['id']}'] [data-star]")
    await star.focus()
    # Its title is a heading one level below "Nu" (h3), not beside it.
    assert await page.locator(f"#now-list [data-talk='{talk['id']}'] h4.talk__title").count() == 1
    # Retitled: the list is worked out again, and focus stays on the same star.
    await api.patch(f"api/talks/{talk['id']}", json={"title": "Nu i fokus, ny titel"})
    await page.locator("#now-list a", has_text="Nu i fokus, ny titel").wait_for()
    await page.clock.run_for(31_000)
    assert await star.evaluate("node => node === document.activeElement")
    # Moved out of "Nu": focus goes to the heading of "Nu", not to the top of the page.
    await api.patch(f"api/talks/{talk['id']}", json={"starts_at": "2026-11-27T16:00:00+01:00",
                                                     "ends_at": "2026-11-27T16:30:00+01:00"})
    await page.locator(f"#now-list [data-talk='{talk['id']}']").wait_for(state="detached")
    now = await focused(page)
    assert now["tag"] == "h3" and now["text"] == "Nu", now


async def test_a_quiet_notice_stays_until_it_is_closed(phone, app_server, api):
    talk = await new_talk(api, title="Bliver stående")
    page = await (await phone()).new_page()
    await page.clock.install()
    await page.goto(app_server.url("programme?view=stage"))
    await page.locator('#connection[data-connected="true"]').wait_for(state="attached")
    await api.patch(f"api/talks/{talk['id']}", json={"title": "Bliver stående længe"})
    notice = page.locator("#live-polite .alert", has_text="Bliver stående længe")
    await notice.wait_for()
    await page.clock.run_for(120_000)  # two minutes later, pointer or not
    assert await notice.count() == 1
    await notice.get_by_role("button", name="Luk").click()
    assert await notice.count() == 0
    # Closed, it is still on the list of changes.
    await page.goto(app_server.url("changes"))
    await page.locator(".changes li", has_text="hedder nu 'Bliver stående længe'").wait_for()


async def lang_of_text(page, selector: str, text: str) -> list[str | None]:
    """The language each element matching ``selector`` that shows ``text`` is marked in (its own
    or nearest ancestor's lang, below <html>; None when it inherits the page's)."""
    return await page.evaluate("""([selector, text]) => [...document.querySelectorAll(selector)]
        .filter((node) => node.textContent.trim() === text)
        .map((node) => { const marked = node.closest('[lang]');
                         return marked === document.documentElement ? null : marked.lang; })""", [selector, text])


async def test_english_titles_are_marked_in_the_danish_app_and_danish_ones_in_the_english(phone, app_server, api,
                                                                                          database):
    english = await new_talk(api, title="Designing for everyone", language="en",
                             abstract="How to build services that everyone can use.")
    danish = await new_talk(api, title="Sammenhængende borgerservice", language="da", abstract="Om borgerservice.")
    context = await phone()
    page = await context.new_page()
    await page.goto(app_server.url("programme?view=stage"))
    for selector in (f"#talk-{english['id']} .talk__title a", f"#talk-{english['id']} [data-star] [data-slot=title]"):
        assert await lang_of_text(page, selector, "Designing for everyone") == ["en"], selector
    assert await lang_of_text(page, f"#talk-{danish['id']} .talk__title a", "Sammenhængende borgerservice") == [None]
    await page.goto(app_server.url(f"talks/{english['id']}"))
    assert await lang_of_text(page, "h1", "Designing for everyone") == ["en"]
    assert await page.locator("[data-slot=abstract]").get_attribute("lang") == "en"
    assert await axe_violations(page) == []

    # An alert about a starred English talk, in a Danish sentence: the title is marked.
    await page.goto(app_server.url("programme?view=stage"))
    await page.locator('#connection[data-connected="true"]').wait_for(state="attached")
    await star_of(page, "Designing for everyone").click()
    await api.patch(f"api/talks/{english['id']}", json={"starts_at": "2026-11-27T13:00:00+01:00",
                                                        "ends_at": "2026-11-27T13:20:00+01:00"})
    message = page.locator("#live-alert .alert__message")
    await message.wait_for()
    assert (await message.inner_text()).startswith("Designing for everyone er flyttet fra 10:00 til 13:00")
    assert await lang_of_text(page, "#live-alert .alert__message span", "Designing for everyone") == ["en"]
    # The list item shown again by the script keeps its mark.
    assert await lang_of_text(page, f"#talk-{english['id']} .talk__title a", "Designing for everyone") == ["en"]

    # The English app: Danish titles, stage and track names and descriptions are marked Danish.
    await page.get_by_role("button", name="English").click()
    await page.wait_for_load_state()
    assert await page.locator("html").get_attribute("lang") == "en"
    assert await lang_of_text(page, f"#talk-{danish['id']} .talk__title a", "Sammenhængende borgerservice") == ["da"]
    assert await lang_of_text(page, f"#talk-{english['id']} .talk__title a", "Designing for everyone") == [None]
    assert set(await lang_of_text(page, f"#talk-{danish['id']} [data-slot=stage]", "Testscenen")) == {"da"}
    await page.goto(app_server.url("programme?view=stage"))
    assert set(await lang_of_text(page, ".stage h2 span", "Testscenen")) == {"da"}
    await page.goto(app_server.url(f"talks/{danish['id']}"))
    assert await lang_of_text(page, "h1", "Sammenhængende borgerservice") == ["da"]
    await page.goto(app_server.url("exhibitors"))
    descriptions = await page.evaluate("() => [...document.querySelectorAll('.exhibitor__description')]"
                                       ".map((node) => node.closest('[lang]').lang)")
    assert descriptions and set(descriptions) == {"da"}
    await page.goto(personal_link(app_server, database, 6))
    await page.goto(app_server.url("me/data"))
    assert await lang_of_text(page, ".facts dd span", "Dansk") == ["da"]
    assert await axe_violations(page) == []


async def test_urgent_and_ordinary_announcements_differ_in_words_not_only_colour(phone, app_server, api):
    page = await open_programme(phone, app_server)
    await api.post("api/announcements", json={"title": "Evakuering af hal C", "body": "Gå mod udgangene",
                                              "level": "urgent"})
    await api.post("api/announcements", json={"title": "Suppen er serveret i foyeren", "body": "", "level": "info"})
    urgent = page.locator(".banner", has_text="Evakuering af hal C")
    ordinary = page.locator(".banner", has_text="Suppen er serveret i foyeren")
    await urgent.wait_for()
    await ordinary.wait_for()
    assert (await urgent.inner_text()).startswith("Vigtigt\n")  # a word, read out too
    assert (await ordinary.inner_text()).startswith("Meddelelse\n")
    symbol = "node => getComputedStyle(node.querySelector('.banner__kind'), '::before').content"
    assert "⚠" in await urgent.evaluate(symbol) and "ℹ" in await ordinary.evaluate(symbol)  # and a symbol
    assert await axe_violations(page) == []
    # The list of changes keeps both, the urgent one saying so in a word.
    await page.goto(app_server.url("changes"))
    assert "Vigtigt" in await page.locator(".changes li", has_text="Evakuering af hal C").inner_text()
    assert "Vigtigt" not in await page.locator(".changes li", has_text="Suppen er serveret i foyeren").inner_text()


async def test_a_failed_sign_in_focuses_the_error_that_leads_to_the_username(phone, app_server):
    page = await (await phone()).new_page()
    await page.goto(app_server.url("login"))
    await page.fill("#username", "ingen-saadan")
    await page.fill("#password", "forkert")
    await page.press("#password", "Enter")
    await page.wait_for_function("() => document.activeElement.matches('.error-summary')")
    assert "Forkert brugernavn eller adgangskode." in (await focused(page))["text"]
    assert await page.locator("#username").get_attribute("aria-invalid") == "true"
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    assert (await focused(page))["id"] == "username"
    assert await axe_violations(page) == []


# Every piece of text on the page that holds ``text``, with the language it is marked in (its
# nearest lang below <html>, or null when it inherits the page's) and where it is.
MARKS_OF_TEXT = """(text) => {
    const found = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, parent = node.parentElement;
        if (!node.textContent.includes(text) || parent.closest('script, style, template')) continue;
        const marked = parent.closest('[lang]');
        const where = [parent.tagName.toLowerCase(), parent.id, parent.className, parent.parentElement.className];
        found.push([marked === document.documentElement ? null : marked.lang, where.filter(Boolean).join(' ')]);
    }
    return found;
}"""


async def unmarked(page, paths: list[str], server, text: str, language: str) -> dict[str, list]:
    """The pages among ``paths`` that show ``text`` somewhere not marked as ``language``, with where;
    each page must show it at least once."""
    wrong = {}
    for path in paths:
        await page.goto(server.url(path))
        await page.wait_for_load_state("networkidle")
        found = await page.evaluate(MARKS_OF_TEXT, text)
        if not found or any(mark != language for mark, _ in found):
            wrong[path] = [where for mark, where in found if mark != language] or ["not shown"]
    return wrong


async def test_every_title_in_the_other_language_is_marked_on_every_page_that_shows_it(phone, app_server, api,
                                                                                      database):
    english = await new_talk(api, title="Services everyone can use", language="en")
    # At the same time, so that in "Mit program" each says that it overlaps the other, by title.
    danish = await new_talk(api, title="Velfærd på tværs", language="da", starts_at="2026-11-27T10:10:00+01:00",
                            ends_at="2026-11-27T10:20:00+01:00")
    page = await (await phone()).new_page()
    await page.goto(personal_link(app_server, database, 9))
    for talk in (english, danish):  # starred (Mit program), then moved and retitled (Ændringer)
        await page.goto(app_server.url(f"talks/{talk['id']}"))
        await page.locator("[data-star]").first.click()
        await api.patch(f"api/talks/{talk['id']}", json={"ends_at": talk["ends_at"].replace(":20:", ":25:")})
    pages = ["", "programme?view=stage", "programme?view=time", "changes", "me/schedule"]
    wrong = {"Dansk": await unmarked(page, [*pages, f"talks/{english['id']}"], app_server,
                                     "Services everyone can use", "en")}
    await page.get_by_role("button", name="English").click()
    await page.wait_for_load_state()
    wrong["English"] = await unmarked(page, [*pages, f"talks/{danish['id']}"], app_server, "Velfærd på tværs", "da")
    # The stage's name, which organisers enter in the fair's language, wherever it is shown.
    wrong["English, stage"] = await unmarked(page, pages[1:4], app_server, "Testscenen", "da")
    # And the organiser's programme (its grid and its list), the talk's form and the versions with
    # what each changed, in both languages.
    admin = await (await phone(viewport={"width": 1280, "height": 900})).new_page()
    await sign_in_as(admin, app_server, "arrangoer", "admin/")
    for talk, title, language, query in ((english, "Services everyone can use", "en", ""),
                                         (danish, "Velfærd på tværs", "da", "?lang=en")):
        paths = [f"admin/programme{query}", f"admin/programme/talks/{talk['id']}{query}",
                 f"admin/programme/versions{query}"]
        wrong[f"admin {query}"] = await unmarked(admin, paths, app_server, title, language)
    wrong["admin, stage"] = await unmarked(admin, ["admin/programme?lang=en"], app_server, "Testscenen", "da")
    assert wrong == {"Dansk": {}, "English": {}, "English, stage": {}, "admin ": {}, "admin ?lang=en": {},
                     "admin, stage": {}}
