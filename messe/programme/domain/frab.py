"""The frab schedule, as JSON and XML, valid against the c3voc schema and XSD.

Giggity, ConfClerk, EventFahrplan and the c3voc tools read it. The format has no cancelled state,
and an app that reloads the export keeps a talk that has vanished from it, so a cancelled talk stays
with its title prefixed in the talk's language ("AFLYST: ", "CANCELLED: "). ``version`` changes
whenever the published programme does. The JSON carries only what c3voc's JSON-to-XML converter
turns into XSD-valid XML (so no ``conference.description``).
Identifiers are stable: talk and room GUIDs are UUIDv5 of the event slug and the record id.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import datetime, time
from typing import Any

from lxml import etree

from messe import __version__
from messe.programme.domain.programme import NO_STAGE, Programme
from messe.programme.domain.site import Site
from messe.programme.domain.snapshot import Snapshot, parse_time
from messe.programme.models import TalkState

NAMESPACE = uuid.UUID("6f1c5d7e-2b1a-4c8e-9a51-6d2f0e3b7c41")
SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "ß": "ss"})
CODE = re.compile(r"^[A-Z0-9]+$")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.translate(TRANSLITERATE)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def acronym(slug: str) -> str:
    """The conference acronym: lowercase, letters, digits and underscores, at least four."""
    value = re.sub(r"[^a-z0-9_]", "_", slug.lower())
    return value if len(value) >= 4 else value.ljust(4, "_")


def guid(event_slug: str, kind: str, record_id: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{event_slug}/{kind}/{record_id}"))


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class _Frab:
    """The programme in frab's terms, shared by the JSON and the XML writer."""

    def __init__(self, programme: Programme, site: Site) -> None:
        self.programme = programme
        self.site = site
        self.event = programme.event
        self.acronym = acronym(self.event.slug)

    def talk_slug(self, talk: Snapshot) -> str:
        return f"{self.acronym}-{talk['id']}-{slugify(talk['title']) or 'talk'}"

    def track_slug(self, name: str) -> str:
        slug = slugify(name) or "track"
        return slug if slug[0].isalpha() else f"t-{slug}"

    def room_name(self, talk: Snapshot) -> str:
        return (talk.get("stage") or NO_STAGE)["name"]

    def days(self) -> list[tuple[int, datetime, datetime, dict[str, list[Snapshot]]]]:
        tz = self.programme.tz
        opens = self.event.starts_at.astimezone(tz).time()
        closes = self.event.ends_at.astimezone(tz).time()
        result = []
        for index, day in enumerate(self.programme.days(), start=1):
            start = datetime.combine(day, opens, tzinfo=tz)
            end = datetime.combine(day, closes if closes > opens else time(23, 59), tzinfo=tz)
            rooms: dict[str, list[Snapshot]] = {s.name: [] for s in self.programme.stages}
            for talk in self.programme.talks:
                if self.programme.local_day(talk) == day:
                    rooms.setdefault(self.room_name(talk), []).append(talk)
            result.append((index, start, end, rooms))
        return result

    def talk_fields(self, talk: Snapshot) -> dict[str, Any]:
        tz = self.programme.tz
        starts = parse_time(talk["starts_at"]).astimezone(tz)
        minutes = int((parse_time(talk["ends_at"]) - parse_time(talk["starts_at"])).total_seconds() // 60)
        return {
            "guid": guid(self.event.slug, "talk", talk["id"]),
            "id": talk["id"],
            "date": starts.isoformat(),
            "start": starts.strftime("%H:%M"),
            "duration": _hhmm(minutes),
            "room": self.room_name(talk),
            "slug": self.talk_slug(talk),
            "url": self.site.talk_url(self.event.slug, talk["id"]),
            "title": self.title(talk),
            "subtitle": "",
            "track": talk["track"]["name"] if talk.get("track") else None,
            "type": "talk",
            "language": talk.get("language") or "da",
            "abstract": talk.get("abstract", ""),
            "description": "",
        }

    def title(self, talk: Snapshot) -> str:
        if talk["state"] != TalkState.CANCELLED:
            return talk["title"]
        danish = (talk.get("language") or "da").lower().startswith("da")
        return ("AFLYST: " if danish else "CANCELLED: ") + talk["title"]

    def person(self, speaker: dict[str, Any]) -> dict[str, Any]:
        person = {"guid": guid(self.event.slug, "speaker", speaker["id"]), "name": speaker["name"]}
        if CODE.match(speaker.get("code") or ""):
            person["code"] = speaker["code"]
        return person


def schedule_json(programme: Programme, site: Site) -> dict[str, Any]:
    frab = _Frab(programme, site)
    event = programme.event
    days = []
    for index, start, end, rooms in frab.days():
        days.append({
            "index": index,
            "date": start.date().isoformat(),
            "day_start": start.isoformat(),
            "day_end": end.isoformat(),
            "rooms": {name: [{**frab.talk_fields(t), "logo": "", "persons": [frab.person(s) for s in t["speakers"]],
                              "links": [], "attachments": [], "do_not_record": False}
                             for t in talks]
                      for name, talks in rooms.items()},
        })
    conference = {
        "acronym": frab.acronym,
        "title": event.name,
        "start": programme.days()[0].isoformat(),
        "end": programme.days()[-1].isoformat(),
        "daysCount": len(days),
        "timeslot_duration": "00:05",
        "time_zone_name": event.timezone,
        "url": site.event_url(event.slug),
        "tracks": [{"name": t.name, "slug": frab.track_slug(t.name), "color": t.color} for t in programme.tracks],
        "rooms": [{"name": s.name, "slug": slugify(s.code) or f"stage-{s.id}", "guid": guid(event.slug, "stage", s.id),
                   "type": "stage", "capacity": s.capacity or None, "description": s.hall or None}
                  for s in programme.stages],
        "days": days,
    }
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": "messe", "version": __version__},
        "schedule": {"version": site.version, "base_url": site.event_url(event.slug), "conference": conference},
    }


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: v for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def schedule_xml(programme: Programme, site: Site) -> bytes:
    frab = _Frab(programme, site)
    event = programme.event
    root = etree.Element("schedule")
    _sub(root, "generator", name="messe", version=__version__)
    _sub(root, "version", site.version)
    conference = _sub(root, "conference")
    _sub(conference, "acronym", frab.acronym)
    _sub(conference, "title", event.name)
    _sub(conference, "start", programme.days()[0].isoformat())
    _sub(conference, "end", programme.days()[-1].isoformat())
    _sub(conference, "days", str(len(programme.days())))
    _sub(conference, "timeslot_duration", "00:05")
    _sub(conference, "base_url", site.event_url(event.slug))
    _sub(conference, "url", site.event_url(event.slug))
    _sub(conference, "time_zone_name", event.timezone)
    for track in programme.tracks:
        _sub(conference, "track", track.name, name=track.name, slug=frab.track_slug(track.name),
             color=track.color if re.fullmatch(r"#[0-9a-fA-F]{6}", track.color or "") else None)
    stage_guids = {s.name: guid(event.slug, "stage", s.id) for s in programme.stages}
    for index, start, end, rooms in frab.days():
        day = _sub(root, "day", index=str(index), date=start.date().isoformat(), start=start.isoformat(),
                   end=end.isoformat())
        for name, talks in rooms.items():
            room = _sub(day, "room", name=name, guid=stage_guids.get(name))
            for talk in talks:
                fields = frab.talk_fields(talk)
                element = _sub(room, "event", id=str(fields["id"]), guid=fields["guid"])
                for tag in ("room", "title", "subtitle", "type", "date", "start", "duration", "abstract", "slug",
                            "language", "description", "url"):
                    _sub(element, tag, fields[tag])
                _sub(element, "track", fields["track"] or "")
                persons = _sub(element, "persons")
                for speaker in talk["speakers"]:
                    _sub(persons, "person", speaker["name"], id=str(speaker["id"]),
                         guid=guid(event.slug, "speaker", speaker["id"]))
                _sub(element, "links")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
