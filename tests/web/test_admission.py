"""Over capacity, messe says so at once (503, Retry-After, in the visitor's language) instead of
queueing without bound; what it has admitted finishes normally."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from messe.config import ConfigError, Settings
from messe.web.admission import AdmissionMiddleware, Admitted
from tests.conftest import bearer, make_token

EVENT = "/messe13"


def _held_app(app, release: asyncio.Event):
    """``app``, with every request to /held waiting for ``release`` first: work in progress."""

    async def held(scope, receive, send):
        if scope["type"] == "http" and scope["path"].endswith("/held"):
            await release.wait()
            scope = {**scope, "path": f"{EVENT}/api/stages", "raw_path": f"{EVENT}/api/stages".encode()}
        await app(scope, receive, send)

    return held


async def test_past_capacity_the_next_request_is_told_to_come_back(app, fair):
    release = asyncio.Event()
    admitted = Admitted()
    admission = AdmissionMiddleware(_held_app(app, release), max_in_flight=2, admitted=admitted)
    staff = bearer(await make_token(fair, "organiser"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=admission), base_url="http://testserver",
                                 headers=staff) as client:
        working = [asyncio.create_task(client.get(f"{EVENT}/held")) for _ in range(2)]
        while admitted.count < 2:
            await asyncio.sleep(0.01)
        busy = await client.get(f"{EVENT}/api/stages")
        assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
        assert busy.json()["error"] == "messe har travlt lige nu; prøv igen om et øjeblik"
        english = await client.get(f"{EVENT}/api/stages", headers={"Accept-Language": "en"})
        assert english.json()["error"] == "messe is busy right now; please try again in a moment"
        page = await client.get(f"{EVENT}/talks/1", headers={"Authorization": "", "Accept": "text/html"})
        assert page.status_code == 503 and '<html lang="da">' in page.text and "travlt" in page.text
        release.set()
        assert [r.status_code for r in await asyncio.gather(*working)] == [200, 200]
        assert (await client.get(f"{EVENT}/api/stages")).status_code == 200
        assert admitted.count == 0 and admission.refused == 3


def test_the_bound_is_configuration():
    assert Settings.from_env({"MESSE_SECRET_KEY": "k" * 40, "MESSE_MAX_IN_FLIGHT": "200"}).max_in_flight == 200
    assert Settings.from_env({"MESSE_SECRET_KEY": "k" * 40}).max_in_flight == 64
    with pytest.raises(ConfigError, match="MESSE_MAX_IN_FLIGHT"):
        Settings.from_env({"MESSE_SECRET_KEY": "k" * 40, "MESSE_MAX_IN_FLIGHT": "0"})
