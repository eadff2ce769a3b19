"""Rendering hands the event loop back: a long list rendered after a change never holds a scan."""

from __future__ import annotations

import asyncio
import time

from jinja2 import Environment

from messe.web.templates import RENDER_SLICE_SECONDS, render_in_slices

LONG_LIST = Environment().from_string("{% for i in range(n) %}<li>{{ i }}</li>{% endfor %}")


async def test_a_long_rendering_lets_other_requests_in_every_few_milliseconds():
    gaps: list[float] = []
    rendering = True

    async def other_request() -> None:
        last = time.perf_counter()
        while rendering:
            await asyncio.sleep(0)
            gaps.append(time.perf_counter() - last)
            last = time.perf_counter()

    other = asyncio.create_task(other_request())
    await asyncio.sleep(0)
    started = time.perf_counter()
    html = await render_in_slices(LONG_LIST, {"n": 200_000})
    took = time.perf_counter() - started
    rendering = False
    await other
    assert html.startswith("<li>0</li><li>1</li>") and html.endswith("<li>199999</li>")
    assert took > 20 * RENDER_SLICE_SECONDS  # long enough to show the slices
    assert len(gaps) >= 10
    # Python's own pauses aside, the other request waited about one slice at a time.
    assert sorted(gaps)[len(gaps) // 2] < 5 * RENDER_SLICE_SECONDS


async def test_a_short_rendering_is_done_in_one_piece():
    assert await render_in_slices(LONG_LIST, {"n": 3}) == "<li>0</li><li>1</li><li>2</li>"
