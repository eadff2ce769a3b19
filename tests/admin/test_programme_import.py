"""Importing a programme from pretalx and frab exports (shared/frab, read where it lies)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from messe.common.refusal import Refusal
from messe.programme.domain.frab_import import parse_schedule
from messe.programme.models import Speaker, Stage, Talk, TalkState, Track
from tests.admin.conftest import csrf_of
from tests.conftest import FRAB, needs_frab

XML = """<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <version>1.0</version>
  <conference><acronym>kl-dag</acronym><title>KL's Digitaliseringsdag</title>
    <time_zone_name>Europe/Copenhagen</time_zone_name><track name="Data" color="#123456"/></conference>
  <day index="1" date="2026-03-05" start="2026-03-05T09:00:00+01:00" end="2026-03-05T17:00:00+01:00">
    <room name="Sal 1">
      <event id="7" guid="0d3c5b4e-1a2b-4c5d-8e9f-0a1b2c3d4e5f">
        <room>Sal 1</room><title>Fælles data i kommunerne</title><subtitle/><type>talk</type>
        <date>2026-03-05T10:00:00+01:00</date><start>10:00</start><duration>00:45</duration>
        <abstract>Om datadeling.</abstract><slug>kl-dag-7-data</slug><track>Data</track><language>da</language>
        <persons><person id="3">Ærbødige Åse</person></persons>
      </event>
    </room>
  </day>
</schedule>""".encode()


@needs_frab
def test_pretalx_and_frab_exports_parse():
    democon = parse_schedule((FRAB / "pretalx-democon.json").read_bytes())
    assert (democon.acronym, len(democon.rooms), len(democon.talks), len(democon.persons)) == ("democon", 2, 36, 27)
    first = democon.talks[0]
    assert first.code == "democon-25" and first.room == "Gray Room" and first.track == "Phased"
    assert (first.ends_at - first.starts_at).total_seconds() == 30 * 60
    camp = parse_schedule((FRAB / "frab-camp2019.json").read_bytes())
    assert (camp.acronym, len(camp.talks)) == ("camp2019", 79)
    assert camp.talks[0].persons == ("camp2019-p7797", "camp2019-p4827")
    moved = camp.moved_to(date(2026, 11, 27), "Europe/Copenhagen")
    assert moved.first_day("Europe/Copenhagen") == date(2026, 11, 27)
    local = moved.talks[0].starts_at.astimezone(ZoneInfo("Europe/Copenhagen"))
    assert (local.hour, local.minute) == (11, 0)  # 11:00 in Berlin (summer) stays 11:00 local in November


def test_xml_export_parses():
    schedule = parse_schedule(XML)
    talk = schedule.talks[0]
    assert (schedule.acronym, talk.code, talk.title, talk.room, talk.language) == (
        "kl-dag", "kl-dag-7", "Fælles data i kommunerne", "Sal 1", "da")
    assert schedule.tracks[0].color == "#123456"
    assert schedule.persons[talk.persons[0]].name == "Ærbødige Åse"


def test_a_file_with_problems_lists_every_problem():
    with pytest.raises(Refusal) as caught:
        parse_schedule(XML.replace(b"<duration>00:45</duration>", b"<duration>lang</duration>")
                       .replace(b"<date>2026-03-05T10:00:00+01:00</date>", b"<date>i morgen</date>"))
    assert [p.template for p in caught.value.problems] == ["Ugyldigt tidspunkt '{value}'",
                                                          "Ugyldig varighed '{value}'; brug TT:MM"]
    for content, reason in [(b"{not json", "Ugyldig JSON"), (b"<schedule><oops", "Ugyldig XML"),
                            (b"{\"schedule\": {}}", "ikke et frab-program"), (b"hello", "hverken")]:
        with pytest.raises(Refusal, match=reason):
            parse_schedule(content)


async def _preview(client, content: bytes, filename: str, move: bool = True):
    page = await client.get("/messe13/admin/programme/import")
    data = {"csrf_token": csrf_of(page.text), **({"move": "1"} if move else {})}
    return await client.post("/messe13/admin/programme/import", data=data,
                             files={"file": (filename, content, "application/json")})


async def _confirm(client, preview):
    action = preview.text.split('action="/messe13/admin/programme/import/')[1].split('"')[0]
    return await client.post(f"/messe13/admin/programme/import/{action}", data={"csrf_token": csrf_of(preview.text)})


@needs_frab
async def test_pretalx_democon_import_makes_drafts_on_the_fairs_day(organiser, fair):
    talks_before = await Talk.filter(event=fair).count()
    preview = await _preview(organiser, (FRAB / "pretalx-democon.json").read_bytes(), "pretalx-democon.json")
    assert preview.status_code == 200
    assert "DemoCon" in preview.text and "Focused 5thgeneration hardware" in preview.text
    assert "inden for messens åbningstid" in preview.text  # days 2 and 3 lie after the one-day fair
    assert await Talk.filter(event=fair).count() == talks_before
    done = await _confirm(organiser, preview)
    assert done.status_code == 303
    assert "36 nye og 0 opdaterede foredrag" in (await organiser.get(done.headers["location"])).text
    imported = await Talk.filter(event=fair, code__startswith="democon-").prefetch_related("stage", "track", "speakers")
    assert len(imported) == 36
    assert all(t.state == TalkState.DRAFT and t.published is None for t in imported)
    first = next(t for t in imported if t.code == "democon-25")
    assert first.stage.name == "Gray Room" and first.track.name == "Phased"
    assert [s.name for s in first.speakers] == ["Brian Robinson"]
    local = first.starts_at.astimezone(ZoneInfo(fair.timezone))
    assert local.date() == fair.starts_at.astimezone(ZoneInfo(fair.timezone)).date() and local.hour == 9
    assert await Stage.filter(event=fair, name__in=["Gray Room", "Tan Room"]).count() == 2
    assert await Speaker.filter(event=fair, code__startswith="democon-").count() == 27

    again = await _preview(organiser, (FRAB / "pretalx-democon.json").read_bytes(), "pretalx-democon.json")
    assert "Findes allerede" in again.text
    await _confirm(organiser, again)
    assert await Talk.filter(event=fair, code__startswith="democon-").count() == 36  # updated, not duplicated
    assert await Stage.filter(event=fair, name="Gray Room").count() == 1


async def test_xml_import_without_moving_and_a_bad_file(organiser, fair):
    preview = await _preview(organiser, XML, "schedule.xml", move=False)
    assert preview.status_code == 200 and "Fælles data i kommunerne" in preview.text
    await _confirm(organiser, preview)
    talk = await Talk.get(event=fair, code="kl-dag-7").prefetch_related("track")
    assert talk.starts_at.astimezone(ZoneInfo("Europe/Copenhagen")).date() == date(2026, 3, 5)
    assert talk.track.color == "#123456" and (await Track.filter(event=fair, name="Data").count()) == 1
    bad = await _preview(organiser, b"<html>nope</html>", "side.html")
    assert bad.status_code == 422 and "ikke et frab-program" in bad.text
