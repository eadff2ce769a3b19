"""Reading a programme exported by pretalx or frab (the frab schedule format, JSON or XML).

Pure functions: :func:`parse_schedule` turns the file's bytes into a :class:`FrabSchedule` of
rooms, tracks, persons and talks with aware start and end times, or raises
:class:`~messe.common.refusal.Refusal` listing every problem (its field says where in the file).
Records get stable codes built from the conference acronym and the exporter's ids, so importing a
newer export of the same conference updates what the last import created.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

from messe.common.refusal import Problem, Refusal, RefusalKind

CODE_LENGTH = 40
LIMITS = {"title": 300, "room": 120, "track": 120, "person": 200}
TOO_LONG = {"title": "Titlen er længere end {max} tegn", "room": "Salens navn er længere end {max} tegn",
            "track": "Sporets navn er længere end {max} tegn", "person": "Navnet er længere end {max} tegn"}
HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class FrabRoom:
    name: str
    capacity: int = 0


@dataclass(frozen=True)
class FrabTrack:
    name: str
    color: str = ""


@dataclass(frozen=True)
class FrabPerson:
    code: str
    name: str
    biography: str = ""


@dataclass(frozen=True)
class FrabTalk:
    code: str
    title: str
    abstract: str
    language: str
    starts_at: datetime
    ends_at: datetime
    room: str
    track: str
    persons: tuple[str, ...]


@dataclass(frozen=True)
class FrabSchedule:
    acronym: str
    title: str
    version: str
    rooms: list[FrabRoom]
    tracks: list[FrabTrack]
    persons: dict[str, FrabPerson]
    talks: list[FrabTalk]

    def first_day(self, timezone: str) -> date | None:
        tz = ZoneInfo(timezone)
        return min((t.starts_at.astimezone(tz).date() for t in self.talks), default=None)

    def moved_to(self, day: date, timezone: str) -> FrabSchedule:
        """The same programme with its first day on ``day``, each talk at the same local clock time."""
        first = self.first_day(timezone)
        if first is None or first == day:
            return self
        tz, shift = ZoneInfo(timezone), day - first

        def move(moment: datetime) -> datetime:
            local = moment.astimezone(tz).replace(tzinfo=None) + shift
            return local.replace(tzinfo=tz)

        talks = [replace(t, starts_at=move(t.starts_at), ends_at=move(t.ends_at)) for t in self.talks]
        return replace(self, talks=talks)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def code_part(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _duration(text: str) -> timedelta | None:
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        return None
    hours, minutes, seconds = (int(p) for p in [*parts, "0"][:3])
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class _Builder:
    """Collects the records of one schedule and every problem found on the way."""

    def __init__(self, acronym: str, title: str, version: str, time_zone: str) -> None:
        self.acronym = code_part(acronym) or code_part(title)[:20] or "frab"
        self.title = title
        self.version = version
        self.tz = _zone(time_zone)
        self.rooms: dict[str, FrabRoom] = {}
        self.tracks: dict[str, FrabTrack] = {}
        self.persons: dict[str, FrabPerson] = {}
        self.talks: list[FrabTalk] = []
        self.problems: list[Problem] = []

    def code(self, key: str) -> str:
        return f"{self.acronym[:CODE_LENGTH - len(key) - 1]}-{key}"

    def problem(self, where: str, template: str, **values: Any) -> None:
        self.problems.append(Problem(template, values, where))

    def _limited(self, kind: str, value: str, where: str = "") -> str:
        if len(value) > LIMITS[kind]:
            self.problem(where or value[:40], TOO_LONG[kind], max=LIMITS[kind])
        return value[:LIMITS[kind]]

    def room(self, name: str, capacity: Any = None) -> None:
        name = self._limited("room", name)
        if name and name not in self.rooms:
            self.rooms[name] = FrabRoom(name, capacity if isinstance(capacity, int) and capacity > 0 else 0)

    def track(self, name: str, color: str = "") -> None:
        name = self._limited("track", name)
        if name and name not in self.tracks:
            self.tracks[name] = FrabTrack(name, color if HEX_COLOR.match(color) else "")

    def person(self, key: str, name: str, biography: str = "") -> str | None:
        if not name:
            return None
        code = self.code("p" + code_part(key or name))
        self.persons.setdefault(code, FrabPerson(code, self._limited("person", name), biography))
        return code

    def talk(self, ident: str, values: dict[str, str], persons: list[str]) -> None:
        where = f"'{values['title'][:60]}' (id {ident})" if values["title"] else f"id {ident}"
        if not ident:
            self.problem(where, "Foredraget har intet id")
        if not values["title"]:
            self.problem(where, "Foredraget har ingen titel")
        starts_at = self._start(where, values["date"], values["day"], values["start"])
        length = _duration(values["duration"])
        if length is None:
            self.problem(where, "Ugyldig varighed '{value}'; brug TT:MM", value=values["duration"])
        elif length <= timedelta(0):
            self.problem(where, "Varigheden skal være over 0 minutter")
        room = values["room"]
        if not room:
            self.problem(where, "Foredraget har ingen sal")
        self.room(room)
        self.track(values["track"])
        if starts_at is None or length is None:
            return
        abstract = "\n\n".join(p for p in (values["subtitle"], values["abstract"], values["description"]) if p)
        self.talks.append(FrabTalk(
            code=self.code(code_part(ident)), title=self._limited("title", values["title"], where),
            abstract=abstract, language=(values["language"] or "da")[:8].lower(), starts_at=starts_at,
            ends_at=starts_at + length, room=room[:LIMITS["room"]], track=values["track"][:LIMITS["track"]],
            persons=tuple(persons)))

    def _start(self, where: str, moment: str, day: str, clock: str) -> datetime | None:
        text = moment or (f"{day}T{clock}" if day and clock else "")
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            self.problem(where, "Ugyldigt tidspunkt '{value}'", value=text)
            return None
        return value if value.tzinfo else value.replace(tzinfo=self.tz)

    def schedule(self) -> FrabSchedule:
        if not self.talks and not self.problems:
            self.problem("", "Programmet har ingen foredrag")
        codes: dict[str, int] = {}
        for talk in self.talks:
            codes[talk.code] = codes.get(talk.code, 0) + 1
        for code in sorted(c for c, n in codes.items() if n > 1):
            self.problem(code, "Id'et står ved flere foredrag")
        if self.problems:
            raise Refusal(RefusalKind.INVALID, self.problems)
        return FrabSchedule(self.acronym, self.title, self.version, list(self.rooms.values()),
                            list(self.tracks.values()), self.persons, self.talks)


def _kind(value: Any) -> str:
    """The JSON type of a parsed value, by its JSON name (the same in Danish and English)."""
    return {bool: "boolean", int: "number", float: "number", str: "string", dict: "object", list: "array"}.get(
        type(value), "null")


def _listed(build: _Builder, record: dict[str, Any], name: str, where: str) -> list[Any]:
    """``record[name]`` when it is a list (or absent: empty); otherwise a problem naming the field."""
    value = record.get(name)
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        build.problem(where, "'{field}' skal være en liste, men er af JSON-typen {kind}", field=name,
                      kind=_kind(value))
        return []
    return value


def _from_json(data: Any) -> FrabSchedule:
    schedule = data.get("schedule") if isinstance(data, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    if not isinstance(schedule, dict) or not isinstance(conference, dict) or "days" not in conference:
        raise Refusal.invalid("JSON-filen er ikke et frab-program (schedule.conference.days mangler)")
    build = _Builder(_text(conference.get("acronym")), _text(conference.get("title")),
                     _text(schedule.get("version")), _text(conference.get("time_zone_name")))
    for room in _listed(build, conference, "rooms", "conference"):
        if isinstance(room, dict):
            build.room(_text(room.get("name")), room.get("capacity"))
    for track in _listed(build, conference, "tracks", "conference"):
        if isinstance(track, dict):
            build.track(_text(track.get("name")), _text(track.get("color")))
    for day in _listed(build, conference, "days", "conference"):
        rooms = day.get("rooms") if isinstance(day, dict) else None
        if rooms is not None and not isinstance(rooms, dict):
            build.problem(_text(day.get("date")) if isinstance(day, dict) else "", "'{field}' skal være et "
                          "JSON-objekt, men er af JSON-typen {kind}", field="rooms", kind=_kind(rooms))
            continue
        for talks in (rooms or {}).values():
            for talk in talks if isinstance(talks, list) else []:
                if not isinstance(talk, dict):
                    build.problem("", "Et foredrag er ikke et JSON-objekt")
                    continue
                where = f"id {_text(talk.get('id') or talk.get('guid'))}"
                persons = [build.person(_text(p.get("code") or p.get("id") or p.get("guid")),
                                        _text(p.get("public_name") or p.get("name")), _text(p.get("biography")))
                           for p in _listed(build, talk, "persons", where) if isinstance(p, dict)]
                values = {k: _text(talk.get(k)) for k in ("title", "subtitle", "abstract", "description", "date",
                                                          "start", "duration", "room", "track", "language")}
                values["day"] = _text(day.get("date"))
                build.talk(_text(talk.get("id") or talk.get("guid")), values, [p for p in persons if p])
    return build.schedule()


def _from_xml(root: etree._Element) -> FrabSchedule:
    if root.tag != "schedule" or root.find("conference") is None:
        raise Refusal.invalid("XML-filen er ikke et frab-program (<schedule> med <conference> mangler)")
    conference = root.find("conference")
    build = _Builder(conference.findtext("acronym") or "", (conference.findtext("title") or "").strip(),
                     (root.findtext("version") or "").strip(), conference.findtext("time_zone_name") or "")
    for track in conference.findall("track"):
        build.track(_text(track.get("name")), _text(track.get("color")))
    for day in root.findall("day"):
        for room in day.findall("room"):
            build.room(_text(room.get("name")))
            for talk in room.findall("event"):
                persons = [build.person(_text(p.get("id") or p.get("guid")), _text(p.text))
                           for p in talk.findall("persons/person")]
                values = {k: _text(talk.findtext(k)) for k in ("title", "subtitle", "abstract", "description",
                                                               "date", "start", "duration", "room", "track",
                                                               "language")}
                values["room"] = values["room"] or _text(room.get("name"))
                values["day"] = _text(day.get("date"))
                build.talk(_text(talk.get("id") or talk.get("guid")), values, [p for p in persons if p])
    return build.schedule()


def parse_schedule(content: bytes) -> FrabSchedule:
    """The programme in a frab JSON or XML export."""
    text = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        try:
            data = json.loads(text.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise Refusal.invalid("Ugyldig JSON: {reason}", reason=str(exc)) from None
        except RecursionError:
            raise Refusal.invalid("JSON-filen er for dybt indlejret (højst ca. 1000 niveauer)") from None
        return _from_json(data)
    if text.startswith(b"<"):
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            return _from_xml(etree.fromstring(text, parser))
        except etree.XMLSyntaxError as exc:
            raise Refusal.invalid("Ugyldig XML: {reason}", reason=str(exc)) from None
    raise Refusal.invalid("Filen er hverken frab-JSON eller frab-XML")
