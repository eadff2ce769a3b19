"""The exports other software reads: frab XML and JSON (valid against the c3voc schema and XSD in
../shared/frab/) and iCalendar (parsed with the icalendar library)."""

from __future__ import annotations

import json

import icalendar
import jsonschema
import pytest
from lxml import etree

from messe.programme.domain import editing
from messe.programme.models import Talk
from tests.conftest import SHARED
from tests.programme.conftest import EVENT

FRAB = SHARED / "frab"
needs_frab = pytest.mark.skipif(not (FRAB / "schema.json").exists(),
                                reason=f"the c3voc frab schema and XSD are not at {FRAB} (shared/frab/)")


def _json_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((FRAB / "schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@needs_frab
async def test_frab_json_is_valid(client, fair, hub):
    validator = _json_validator()
    assert list(validator.iter_errors(json.loads((FRAB / "invalid-example.json").read_text())))  # it does check
    talk = await Talk.filter(event=fair).order_by("starts_at").first()
    await editing.save_talk(fair.id, talk.id, {"state": "cancelled"}, publish=True)
    response = await client.get(f"{EVENT}/schedule/export/schedule.json")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    document = response.json()
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    conference = document["schedule"]["conference"]
    assert conference["acronym"] == "messe13" and document["schedule"]["version"] == "0+1"
    events = [e for day in conference["days"] for room in day["rooms"].values() for e in room]
    assert len(events) == await Talk.filter(event=fair).count() - 1  # the cancelled talk is left out
    assert talk.id not in {e["id"] for e in events}


@needs_frab
async def test_frab_xml_is_valid(client, fair, hub):
    schema = etree.XMLSchema(etree.parse(str(FRAB / "schedule.xml.xsd")))
    response = await client.get(f"{EVENT}/schedule/export/schedule.xml")
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    assert schema.validate(document), schema.error_log
    assert document.findtext("conference/acronym") == "messe13"
    assert len(document.findall("day/room/event")) == await Talk.filter(event=fair).count()


async def test_icalendar_feed(client, fair, hub):
    first = await client.get(f"{EVENT}/schedule/export/schedule.ics")
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(first.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == await Talk.filter(event=fair).count()
    talk = await Talk.filter(event=fair).order_by("starts_at").first()
    uid = f"messe13-talk-{talk.id}@testserver"
    assert events[uid]["status"] == "CONFIRMED" and int(events[uid]["sequence"]) == 0
    assert events[uid].decoded("dtstart") == talk.starts_at
    assert (await client.get(f"{EVENT}/schedule/export/schedule.ics",
                             headers={"If-None-Match": first.headers["etag"]})).status_code == 304

    await editing.save_talk(fair.id, talk.id, {"state": "cancelled"}, publish=True)
    after = icalendar.Calendar.from_ical((await client.get(f"{EVENT}/schedule/export/schedule.ics")).content)
    cancelled = {str(e["uid"]): e for e in after.walk("VEVENT")}[uid]  # same UID: calendars update it
    assert cancelled["status"] == "CANCELLED" and int(cancelled["sequence"]) == 1
    assert str(cancelled["summary"]).startswith("Aflyst: ")


async def test_exports_answer_304(client, fair, hub):
    for name in ("schedule.xml", "schedule.json"):
        first = await client.get(f"{EVENT}/schedule/export/{name}")
        again = await client.get(f"{EVENT}/schedule/export/{name}", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304
