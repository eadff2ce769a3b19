"""What one hostile request may cost the fair: a body of 400,000 unknown keys, sent by a signed-in
attendee (or anyone with a staff token), is refused within a second with a small answer, and a
phone asking for the stages meanwhile is answered promptly. JSON bodies have a limit that fits what
the API takes; a body under that limit with thousands of bad keys is refused naming only the
first few."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from messe.config import Settings
from tests.web.conftest import EVENT, row_counts

HOSTILE = json.dumps({f"k{i:x}": 0 for i in range(400_000)}, separators=(",", ":")).encode()  # 4.4 MB
PROMPT = 0.5  # seconds: what "answered promptly" allows a trivial read on a shared two-core machine
JSON_LIMIT = Settings().max_json_body_size


async def _chunks(data: bytes, size: int = 1 << 16) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


async def _timed(request) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = await request
    return response, time.perf_counter() - started


async def _hostile_while_reading_stages(client: httpx.AsyncClient, url: str, headers: dict[str, str],
                                        content) -> tuple[httpx.Response, float, httpx.Response, float]:
    async def stages_soon_after() -> tuple[httpx.Response, float]:
        await asyncio.sleep(0.01)  # the hostile request is already being handled
        return await _timed(client.get(f"{EVENT}/api/stages"))

    (hostile, hostile_time), (stages, stages_time) = await asyncio.gather(
        _timed(client.post(url, content=content, headers={**headers, "Content-Type": "application/json"})),
        stages_soon_after())
    return hostile, hostile_time, stages, stages_time


@pytest.mark.parametrize("sent", ["with Content-Length", "chunked"])
@pytest.mark.parametrize(("caller", "path"), [("attendee", "api/me/stars"), ("organiser", "api/talks")])
async def test_a_body_of_400000_unknown_keys_is_refused_at_once_and_stalls_no_one(client, callers, fair, caller,
                                                                                path, sent):
    await client.get(f"{EVENT}/api/stages")  # warm: the measured read is a phone's ordinary one
    before = await row_counts()
    content = HOSTILE if sent == "with Content-Length" else _chunks(HOSTILE)
    hostile, hostile_time, stages, stages_time = await _hostile_while_reading_stages(
        client, f"{EVENT}/{path}", callers[caller], content)
    assert 400 <= hostile.status_code < 500, hostile.text[:300]
    assert hostile_time < 1.0, f"refused after {hostile_time:.2f} s"
    assert len(hostile.content) < 1000, f"an error of {len(hostile.content)} bytes"
    assert stages.status_code == 200 and stages.json()
    assert stages_time < PROMPT, f"GET api/stages waited {stages_time:.2f} s behind the hostile body"
    assert hostile.status_code == 413
    assert hostile.json() == {"error": f"Forespørgslen er for stor (højst {JSON_LIMIT // 1024} KB)", "status": 413}
    assert await row_counts() == before


@pytest.mark.parametrize(("caller", "path", "known"), [
    ("attendee", "api/me/stars", {"talk_ids": []}),
    ("organiser", "api/talks", {"title": "Kendt"}),
])
async def test_thousands_of_unknown_keys_under_the_limit_name_ten_and_cost_nothing(client, callers, fair, caller,
                                                                                 path, known):
    keys, body = 0, dict(known)
    size = len(json.dumps(body))
    while size < JSON_LIMIT - 40:
        body[f"ukendt_{keys}"] = keys
        size += len(f', "ukendt_{keys}": {keys}')  # counted as it grows: dumping it each time took 20 s
        keys += 1
    assert len(json.dumps(body)) == size
    before = await row_counts()
    response, elapsed = await _timed(client.post(f"{EVENT}/{path}", json=body, headers=callers[caller]))
    assert response.status_code == 422, response.text[:300]
    answer = response.json()
    assert answer["error"] == f"Ukendte felter i forespørgslen: {keys}"
    assert [f["field"] for f in answer["fields"]] == [f"ukendt_{i}" for i in range(10)]
    assert {f["message"] for f in answer["fields"]} == {"Feltet kendes ikke"}
    assert len(response.content) < 2000 and elapsed < 0.25
    assert await row_counts() == before
    in_english = {**callers[caller], "Cookie": callers[caller].get("Cookie", "") + "; messe_lang=en"}
    english = await client.post(f"{EVENT}/{path}", json=body, headers=in_english)
    assert english.json()["error"] == f"Unknown fields in the request: {keys}"


async def test_thousands_of_bad_values_are_refused_naming_the_first_ten(client, callers, fair):
    """Known fields, all wrong: validation reports ten of them and says how many there were."""
    before = await row_counts()
    response = await client.post(f"{EVENT}/api/talks", headers=callers["organiser"],
                                 json={"code": "!!", "title": "", "abstract": 5, "language": "klingon",
                                       "starts_at": "i morgen", "ends_at": "i overmorgen", "stage_id": "x",
                                       "track_id": "x", "speaker_ids": ["x"] * 15, "state": "x", "draft": "x"})
    assert response.status_code == 422, response.text[:300]
    answer = response.json()
    assert len(answer["fields"]) == 10 and len(response.content) < 2000
    count = int(answer["error"].removeprefix("Ugyldige oplysninger (").split(" ")[0])
    assert count > 10 and answer["error"] == f"Ugyldige oplysninger ({count} fejl; de første 10 er vist)"
    assert await row_counts() == before


async def test_an_upload_form_keeps_its_own_larger_limit(client, callers, fair):
    """The JSON limit is not the uploads' limit: an attendee list of 19,000 rows (0.7 MB) is read and previewed."""
    rows = b"".join(b"Deltager %d;deltager%d@example.dk\n" % (i, i) for i in range(19_000))
    assert len(rows) > 2 * JSON_LIMIT
    upload = await client.post(f"{EVENT}/admin/attendees/import", headers=callers["organiser"],
                               files={"file": ("deltagere.csv", b"Navn;E-mail\n" + rows)})
    assert upload.status_code in (200, 422), upload.text[:300]
    assert "Forespørgslen er for stor" not in upload.text


@pytest.mark.parametrize("escaped", [False, True], ids=["UTF-8", "every character escaped"])
async def test_the_longest_abstract_the_api_takes_fits_the_json_limit(client, callers, fair, escaped):
    """20,000 characters outside the BMP, sent as UTF-8 (4 bytes each) or as JSON escapes
    (\\ud83d\\ude00, 12 bytes each) as some clients do: the limit refuses floods, not real talks."""
    talk = {"title": "Et langt resumé", "abstract": "😀" * 20_000, "starts_at": "2026-11-27T16:00:00+01:00",
            "ends_at": "2026-11-27T16:20:00+01:00"}
    content = json.dumps(talk, ensure_ascii=escaped).encode()
    assert len(content) > (239_000 if escaped else 80_000)
    response = await client.post(f"{EVENT}/api/talks", content=content,
                                 headers={**callers["organiser"], "Content-Type": "application/json"})
    assert response.status_code == 201, response.text[:300]
    assert response.json()["abstract"] == "😀" * 20_000
