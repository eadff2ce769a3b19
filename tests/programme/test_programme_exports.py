"""The exports other software reads: frab XML and JSON (valid against the c3voc schema and XSD in
../shared/frab/) and iCalendar (parsed with the icalendar library)."""

from __future__ import annotations

import json

import icalendar
import jsonschema
from lxml import etree

from messe.common.models import Event
from messe.programme.domain import editing
from messe.programme.models import Talk
from tests.conftest import FRAB, needs_frab
from tests.programme.c3voc import json_to_xml
from tests.programme.conftest import EVENT


def _json_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((FRAB / "schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FRAB / "schedule.xml.xsd")))


async def _cancel_a_danish_and_an_english_talk(fair) -> tuple[Talk, Talk]:
    danish = await Talk.filter(event=fair, language="da").order_by("starts_at").first()
    english = await Talk.filter(event=fair, language="en").order_by("starts_at").first()
    for talk in (danish, english):
        await editing.cancel_talk(fair.id, talk.id, publish=True)
    return danish, english


@needs_frab
async def test_frab_json_is_valid_and_keeps_cancelled_talks(client, fair, hub):
    validator = _json_validator()
    assert list(validator.iter_errors(json.loads((FRAB / "invalid-example.json").read_text())))  # it does check
    danish, english = await _cancel_a_danish_and_an_english_talk(fair)
    await Event.filter(id=fair.id).update(description="Danmarks største messe om digitalisering i det offentlige.")
    response = await client.get(f"{EVENT}/schedule/export/schedule.json")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    document = response.json()
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    conference = document["schedule"]["conference"]
    assert conference["acronym"] == "messe13" and document["schedule"]["version"] == "0+2"
    assert "description" not in conference  # the XSD has no place for it
    events = {e["id"]: e for day in conference["days"] for room in day["rooms"].values() for e in room}
    assert len(events) == await Talk.filter(event=fair).count()  # a frab app replaces the cancelled ones on reload
    assert events[danish.id]["title"] == f"AFLYST: {danish.title}"
    assert events[english.id]["title"] == f"CANCELLED: {english.title}"
    assert events[danish.id]["slug"].startswith(f"messe13-{danish.id}-")
    assert not any(e["title"].startswith(("AFLYST", "CANCELLED")) for i, e in events.items()
                   if i not in (danish.id, english.id))

    converted = json_to_xml(document)  # what c3voc's schedule_json2xml.py makes of it
    schema = _xsd()
    assert schema.validate(converted), schema.error_log
    assert len(converted.findall("day/room/event")) == len(events)


@needs_frab
def test_c3voc_conversion_rejects_a_conference_description():
    """The check above can fail: pretalx's export converts to valid XML, not with a conference description."""
    democon = json.loads((FRAB / "pretalx-democon.json").read_text())
    schema = _xsd()
    assert schema.validate(json_to_xml(democon)), schema.error_log
    democon["schedule"]["conference"]["description"] = "En messe."
    assert not schema.validate(json_to_xml(democon))


@needs_frab
async def test_frab_xml_is_valid_and_keeps_cancelled_talks(client, fair, hub):
    schema = _xsd()
    danish, english = await _cancel_a_danish_and_an_english_talk(fair)
    response = await client.get(f"{EVENT}/schedule/export/schedule.xml")
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    assert schema.validate(document), schema.error_log
    assert document.findtext("conference/acronym") == "messe13"
    assert len(document.findall("day/room/event")) == await Talk.filter(event=fair).count()
    assert document.findtext(f"day/room/event[@id='{danish.id}']/title") == f"AFLYST: {danish.title}"
    assert document.findtext(f"day/room/event[@id='{english.id}']/title") == f"CANCELLED: {english.title}"

    # messe's own pages go on saying it in words, without the prefix
    page = await client.get(f"{EVENT}/talks/{danish.id}")
    assert page.status_code == 200 and "AFLYST:" not in page.text
    assert '<p class="alert alert--error" data-part="cancelled">Foredraget er aflyst.</p>' in page.text


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

    await editing.cancel_talk(fair.id, talk.id, publish=True)
    after = icalendar.Calendar.from_ical((await client.get(f"{EVENT}/schedule/export/schedule.ics")).content)
    cancelled = {str(e["uid"]): e for e in after.walk("VEVENT")}[uid]  # same UID: calendars update it
    assert cancelled["status"] == "CANCELLED" and int(cancelled["sequence"]) == 1
    assert str(cancelled["summary"]).startswith("Aflyst: ")


async def test_exports_answer_304(client, fair, hub):
    for name in ("schedule.xml", "schedule.json"):
        first = await client.get(f"{EVENT}/schedule/export/{name}")
        again = await client.get(f"{EVENT}/schedule/export/{name}", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304
