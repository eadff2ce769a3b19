"""The cache of rendered programme views: requests that arrive while a view renders wait for that
rendering instead of rendering it again, and one of them giving up stops it for none."""

from __future__ import annotations

import asyncio

import pytest

from messe.programme.interfaces.caching import RenderCache


async def test_requests_during_a_rendering_share_it_and_a_new_version_renders_again():
    cache = RenderCache()
    renderings: list[str] = []

    def build(version: str):
        async def render() -> str:
            renderings.append(version)
            await asyncio.sleep(0.01)
            return f"list {version}"
        return render

    first = await asyncio.gather(*(cache.get(("programme",), "v1", build("v1")) for _ in range(20)))
    assert first == ["list v1"] * 20 and renderings == ["v1"]
    assert await cache.get(("programme",), "v1", build("v1")) == "list v1"
    assert await cache.get(("programme",), "v2", build("v2")) == "list v2"
    assert renderings == ["v1", "v2"]


async def test_a_request_that_gives_up_leaves_the_rendering_to_the_others():
    cache = RenderCache()
    started = asyncio.Event()

    async def render() -> str:
        started.set()
        await asyncio.sleep(0.02)
        return "list"

    leaving = asyncio.create_task(cache.get(("programme",), "v1", render))
    await started.wait()
    staying = asyncio.create_task(cache.get(("programme",), "v1", render))
    leaving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leaving
    assert await staying == "list"


async def test_a_failed_rendering_is_not_kept():
    cache = RenderCache()

    async def broken() -> str:
        raise RuntimeError("template error")

    async def fine() -> str:
        return "list"

    with pytest.raises(RuntimeError):
        await cache.get(("programme",), "v1", broken)
    assert await cache.get(("programme",), "v1", fine) == "list"
