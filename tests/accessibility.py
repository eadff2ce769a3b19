"""axe-core in a browser page: what every browser test asserts is empty."""

from __future__ import annotations


async def axe_violations(page) -> list[str]:
    """Every WCAG violation axe-core finds on the page as it is now, whatever its impact."""
    await page.add_script_tag(url="/vendor/axe-core/axe.min.js")  # same origin, so the CSP allows it
    violations = await page.evaluate("async () => (await axe.run()).violations")
    return [f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in violations]
