"""axe-core in a browser page: what every browser test asserts is empty."""

from __future__ import annotations

import re


async def axe_violations(page) -> list[str]:
    """Every WCAG violation axe-core finds on the page as it is now, whatever its impact."""
    await page.add_script_tag(url="/vendor/axe-core/axe.min.js")  # same origin, so the CSP allows it
    violations = await page.evaluate("async () => (await axe.run()).violations")
    return [f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in violations]


async def focused_node(page) -> str:
    """What has keyboard focus, as a screen reader names it: its role and accessible name, with
    states (``button "Luk" [pressed]``), or for a region without a name its role and text
(``status: 3 deltagere er klar``); ``body`` when focus was dropped."""
    node = page.locator(":focus")
    if not await node.count():
        return "body"
    line = (await node.first.aria_snapshot()).splitlines()[0].removeprefix("- ")
    if line.endswith(":") and '"' not in line:  # a region named by nothing but what it says
        return f"{line} {' '.join((await node.first.inner_text()).split())}"
    line = line.rstrip(":")
    if line[:1] == line[-1:] == "'":  # quoted YAML, for a name with a colon in it
        line = line[1:-1].replace("''", "'")
    value = re.fullmatch(r'(.*": )"([^"]*)"', line)  # a value YAML would read as a number: "642836"
    return f"{value[1]}{value[2]}" if value else line


async def press_until_focused(page, wanted, key: str = "Tab", limit: int = 80) -> str:
    """Press ``key`` until the focused node (``focused_node``) contains ``wanted`` (a string or a
    compiled pattern); every stop on the way is a named control, never ``body``."""
    stops = []
    for _ in range(limit):
        await page.keyboard.press(key)
        now = await focused_node(page)
        stops.append(now)
        assert now != "body", stops
        if (wanted.search(now) if hasattr(wanted, "search") else wanted in now):
            return now
    raise AssertionError(f"{wanted!r} not reached with {key}: {stops}")
