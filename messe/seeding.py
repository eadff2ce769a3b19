"""Loading the fair from the data files in ``seed/``.

On a database that already holds the fair, seeding only adds what is missing (every record is
found by its natural key: event slug, stage/track/speaker/talk code, organisation name, stand,
attendee e-mail) and never rewinds what is there: published snapshots, their ``sequence`` and the
fair's date stay as they are. Talks it adds to a fair that phones already follow are written to
the change log. Moving the fair to another day is an explicit step (``move_date``): every talk
moves with it, each published one as a change-log row, and the move is audited. The 2,000
attendees (and, when asked, their stars) are generated from a fixed seed.
"""

from __future__ import annotations

import json
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from faker import Faker

from messe.common.audit import record as audit
from messe.common.models import Event
from messe.common.unit_of_work import unit_of_work
from messe.expo.models import Exhibitor
from messe.people.models import Attendee, Bookmark, Organisation
from messe.programme.domain.changelog import Entry, classify, lock_event, record
from messe.programme.domain.snapshot import iso, parse_time, talk_snapshot
from messe.programme.models import ScheduleChange, Speaker, Stage, Talk, TalkState, Track

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


class SeedError(Exception):
    """A seed file is missing or malformed; the message names the file."""


class DateConflict(SeedError):
    """The fair is already in the database on another day; moving it must be asked for."""

    def __init__(self, current: date, requested: date) -> None:
        super().__init__(f"Messen ligger allerede den {current.isoformat()}; brug --move-date for at flytte "
                         f"den til {requested.isoformat()} (telefonerne får besked)")
        self.current = current
        self.requested = requested


@dataclass
class Counts:
    stages: int = 0
    tracks: int = 0
    speakers: int = 0
    talks: int = 0
    organisations: int = 0
    exhibitors: int = 0
    attendees: int = 0
    stars: int = 0


@dataclass
class SeedReport:
    """What the fair holds after seeding, and what this run did to it."""

    event: Event
    created: bool
    totals: Counts
    added: Counts
    moved_from: date | None = None
    changes: list[ScheduleChange] = field(default_factory=list)

    @property
    def day(self) -> date:
        return fair_day(self.event)


def _load(name: str, seed_dir: Path) -> Any:
    path = seed_dir / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeedError(f"{path}: filen mangler") from None
    except json.JSONDecodeError as exc:
        raise SeedError(f"{path}: ugyldig JSON i linje {exc.lineno}: {exc.msg}") from None


def _at(day: date, clock: str, tz: ZoneInfo) -> datetime:
    hours, minutes = (int(p) for p in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=tz)


def fair_day(event: Event) -> date:
    """The fair's day in its own time zone."""
    return event.starts_at.astimezone(ZoneInfo(event.timezone)).date()


def _shifted(moment: datetime, days: int, tz: ZoneInfo) -> datetime:
    """``moment`` ``days`` later at the same local clock time (a move across DST keeps 09:00)."""
    local = moment.astimezone(tz)
    return datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=tz)


async def _create_event(data: dict[str, Any], day: date) -> Event:
    tz = ZoneInfo(data["timezone"])
    return await Event.create(
        slug=data["slug"], name=data["name"], short_name=data.get("short_name", ""),
        venue=data.get("venue", ""), address=data.get("address", ""), description=data.get("description", ""),
        timezone=data["timezone"], halls=data.get("halls", []), is_current=True,
        starts_at=_at(day, data["start"], tz), ends_at=_at(day, data["end"], tz))


def _halls_with_missing_features(have: list[dict[str, Any]], seeded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The halls ``have`` with the halls and floor-plan features (by code) of ``seeded`` it lacks;
    what is there already is kept as it is."""
    halls = [dict(hall) for hall in have]
    by_code = {hall["code"]: hall for hall in halls}
    for row in seeded:
        hall = by_code.get(row["code"])
        if hall is None:
            halls.append(dict(row))
            continue
        features = list(hall.get("features", []))
        known = {feature.get("code") for feature in features}
        features += [feature for feature in row.get("features", []) if feature["code"] not in known]
        if features or "features" in hall:
            hall["features"] = features
    return halls


async def _move_event(event: Event, day: date, actor: str) -> list[Entry]:
    """Move the fair and all its talks to ``day``; the change-log entries for the published talks."""
    tz = ZoneInfo(event.timezone)
    before = fair_day(event)
    days = (day - before).days
    event.starts_at = _shifted(event.starts_at, days, tz)
    event.ends_at = _shifted(event.ends_at, days, tz)
    await event.save(update_fields=["starts_at", "ends_at"])
    now = datetime.now(UTC)
    entries = []
    for talk in await Talk.filter(event=event):
        talk.starts_at = _shifted(talk.starts_at, days, tz)
        talk.ends_at = _shifted(talk.ends_at, days, tz)
        talk.revision += 1
        old = talk.published
        if old is not None:
            # Only the time moves: unpublished edits in the draft stay unpublished.
            talk.published = {
                **old, "starts_at": iso(_shifted(parse_time(old["starts_at"]), days, tz)),
                "ends_at": iso(_shifted(parse_time(old["ends_at"]), days, tz)),
                "sequence": old.get("sequence", 0) + 1, "changed_at": iso(now)}
            kind = classify(old, talk.published)
            if kind is not None:
                entries.append(Entry(kind, talk.id, old, talk.published))
        await talk.save(update_fields=["starts_at", "ends_at", "published", "revision"])
    await audit(event, actor, "event.moved", event, before=before.isoformat(), after=day.isoformat(),
                talks=len(entries))
    return entries


async def _upsert_by_code(model: type, event: Event, rows: list[dict[str, Any]], fields: list[str]
                          ) -> tuple[dict, int]:
    """The event's records of ``model`` by code, creating those missing; and how many were created."""
    existing = {obj.code: obj for obj in await model.filter(event=event)}
    added = 0
    for position, row in enumerate(rows):
        if row["code"] not in existing:
            extra = {"position": position} if model is Stage else {}
            existing[row["code"]] = await model.create(
                event=event, code=row["code"], **{f: row[f] for f in fields if f in row}, **extra)
            added += 1
    return existing, added


async def _seed_talks(event: Event, rows: list[dict[str, Any]], stages: dict, tracks: dict,
                      speakers: dict[str, Speaker]) -> list[Entry]:
    """Create the missing talks, published, on the fair's day; their change-log entries."""
    tz = ZoneInfo(event.timezone)
    day = fair_day(event)
    existing = set(await Talk.filter(event=event).values_list("code", flat=True))
    entries = []
    for row in rows:
        if row["code"] in existing:
            continue
        try:
            stage = stages[row["stage"]]
            track = tracks[row["track"]] if row.get("track") else None
            talk_speakers = [speakers[code] for code in row.get("speakers", [])]
        except KeyError as exc:
            raise SeedError(f"talks.json: {row['code']} henviser til ukendt kode {exc}") from None
        start = _at(day, row["start"], tz)
        talk = await Talk.create(
            event=event, code=row["code"], title=row["title"], abstract=row.get("abstract", ""),
            language=row.get("language", "da"), starts_at=start,
            ends_at=start + timedelta(minutes=int(row["duration"])),
            stage=stage, track=track, state=TalkState.PUBLISHED,
        )
        if talk_speakers:
            await talk.speakers.add(*talk_speakers)
        talk.published = talk_snapshot(talk, speakers=talk_speakers)
        await talk.save(update_fields=["published"])
        entries.append(Entry(classify(None, talk.published), talk.id, None, talk.published))
    return entries


async def _seed_organisations(event: Event, rows: list[dict[str, Any]]) -> tuple[dict[str, Organisation], int]:
    existing = {o.name: o for o in await Organisation.filter(event=event)}
    new = [Organisation(event=event, name=r["name"], kind=r["kind"]) for r in rows if r["name"] not in existing]
    if new:
        await Organisation.bulk_create(new)
        existing = {o.name: o for o in await Organisation.filter(event=event)}
    return existing, len(new)


async def _seed_exhibitors(event: Event, rows: list[dict[str, Any]]) -> int:
    existing = set(await Exhibitor.filter(event=event).values_list("stand", flat=True))
    fields = ("name", "hall", "description", "website", "x", "y", "width")
    new = [Exhibitor(event=event, stand=r["stand"], **{f: r[f] for f in fields if f in r},
                     lead_tags=r.get("lead_tags", ["Varm", "Opfølgning", "Demo", "Tilbud"]))
           for r in rows if r["stand"] not in existing]
    if new:
        await Exhibitor.bulk_create(new)
    return len(new)


def _ascii(text: str) -> str:
    folded = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return "".join(c for c in unicodedata.normalize("NFKD", folded) if c.isascii() and c.isalnum())


def _email_domain(org: Organisation) -> str:
    base = org.name.removesuffix(" Kommune").removeprefix("Region ")
    return (_ascii(base) or "example") + ".dk"


def generate_attendees(params: dict[str, Any], organisations: list[Organisation]) -> list[dict[str, Any]]:
    """The fair's attendees as plain dicts, the same every time for the same parameters."""
    fake = Faker(params.get("locale", "da_DK"))
    fake.seed_instance(params["faker_seed"])
    rng = random.Random(params["faker_seed"])
    by_kind: dict[str, list[Organisation]] = {}
    for org in organisations:
        by_kind.setdefault(org.kind, []).append(org)
    kinds = [k for k in params["organisation_kinds"] if by_kind.get(k)]
    kind_weights = [params["organisation_kinds"][k] for k in kinds]
    roles, role_weights = zip(*params["roles"].items(), strict=True)
    by_name = {o.name: o for o in organisations}
    people: list[dict[str, Any]] = []
    specials = params.get("special_names", [])
    for index in range(params["count"]):
        if index < len(specials):
            name = specials[index]["name"]
            org = by_name.get(specials[index].get("organisation", "")) or rng.choice(organisations)
        else:
            name = fake.name()
            org = rng.choice(by_kind[rng.choices(kinds, kind_weights)[0]])
        local = _ascii(name.split()[0]) or "deltager"
        people.append({
            "name": name,
            "email": f"{local}.{index + 1:04d}@{_email_domain(org)}",
            "phone": fake.phone_number() if rng.random() < 0.7 else "",
            "organisation": org,
            "job_title": rng.choice(params["job_titles"]),
            "role": rng.choices(roles, role_weights)[0],
            "consent_share_contact": rng.random() < params.get("consent_share_contact", 0.5),
        })
    return people


async def _seed_attendees(event: Event, params: dict[str, Any], organisations: dict[str, Organisation]
                          ) -> list[int]:
    """Create the generated attendees that are missing; the new attendees' ids, in generated order."""
    existing = set(await Attendee.filter(event=event).values_list("email", flat=True))
    people = generate_attendees(params, sorted(organisations.values(), key=lambda o: o.name))
    new = [Attendee(event=event, **p) for p in people if p["email"] not in existing]
    if not new:
        return []
    await Attendee.bulk_create(new, batch_size=500)
    ids = dict(await Attendee.filter(event=event, email__in=[a.email for a in new]).values_list("email", "id"))
    return [ids[a.email] for a in new]


def plan_stars(params: dict[str, Any], attendee_ids: list[int], talks: list[tuple[int, str | None]],
               ) -> list[tuple[int, int]]:
    """Which of ``attendee_ids`` star which talks, as (attendee id, talk id) pairs.

    Most attendees star a handful of talks; a talk's chance follows its track's weight (keynotes
    and popular tracks more). The same every time for the same attendees, talks and parameters.
    """
    if not talks:
        return []
    rng = random.Random(params["seed"])
    weights = [params["track_weights"].get(track or "", params.get("default_weight", 1)) for _, track in talks]
    fewest, most = params["per_attendee"]
    pairs = []
    for attendee_id in attendee_ids:
        if rng.random() >= params["share"]:
            continue
        chosen: set[int] = set()
        wanted = min(rng.randint(fewest, most), len(talks))
        while len(chosen) < wanted:
            chosen.add(rng.choices(range(len(talks)), weights)[0])
        pairs.extend((attendee_id, talks[index][0]) for index in sorted(chosen))
    return pairs


async def _seed_stars(event: Event, params: dict[str, Any], attendee_ids: list[int]) -> int:
    talks = [(t.id, t.track.code if t.track else None)
             for t in await Talk.filter(event=event, state=TalkState.PUBLISHED).select_related("track")
             .order_by("starts_at", "code")]
    pairs = plan_stars(params, attendee_ids, talks)
    if pairs:
        await Bookmark.bulk_create([Bookmark(attendee_id=a, talk_id=t) for a, t in pairs], batch_size=1000)
    return len(pairs)


async def _totals(event: Event) -> Counts:
    return Counts(
        stages=await Stage.filter(event=event).count(), tracks=await Track.filter(event=event).count(),
        speakers=await Speaker.filter(event=event).count(), talks=await Talk.filter(event=event).count(),
        organisations=await Organisation.filter(event=event).count(),
        exhibitors=await Exhibitor.filter(event=event).count(),
        attendees=await Attendee.filter(event=event).count(),
        stars=await Bookmark.filter(talk__event=event).count())


async def seed(
    seed_dir: Path = SEED_DIR,
    on_date: date | None = None,
    attendee_limit: int | None = None,
    progress: Callable[[str], None] = lambda step: None,
    *,
    move_date: bool = False,
    stars: bool = False,
    actor: str = "messe seed",
) -> SeedReport:
    """Load the fair from ``seed_dir``, or add what it is missing.

    A new fair is placed on ``on_date`` (default: the date in event.json). A fair already in the
    database stays on its day; when ``on_date`` names another day, ``move_date`` moves it there
    (logged, phones told), else :class:`DateConflict` is raised before anything is written.
    ``stars`` lets the attendees this run creates star talks (the demo).
    """
    event_data = _load("event.json", seed_dir)
    attendee_params = _load("attendees.json", seed_dir)
    if attendee_limit is not None:
        attendee_params = {**attendee_params, "count": attendee_limit}
    added = Counts()
    moved_from = None
    entries: list[Entry] = []
    async with unit_of_work():
        progress("arrangement")
        event = await Event.get_or_none(slug=event_data["slug"])
        created = event is None
        if event is None:
            event = await _create_event(event_data, on_date or date.fromisoformat(event_data["date"]))
        else:
            event = await lock_event(event.id)
            if on_date is not None and on_date != fair_day(event):
                if not move_date:
                    raise DateConflict(fair_day(event), on_date)
                moved_from = fair_day(event)
                entries += await _move_event(event, on_date, actor)
            halls = _halls_with_missing_features(event.halls, event_data.get("halls", []))
            if halls != event.halls:
                event.halls = halls
                await event.save(update_fields=["halls"])
        progress("scener og spor")
        stages, added.stages = await _upsert_by_code(Stage, event, _load("stages.json", seed_dir),
                                                     ["name", "hall", "capacity"])
        tracks, added.tracks = await _upsert_by_code(Track, event, _load("tracks.json", seed_dir),
                                                     ["name", "color"])
        speakers, added.speakers = await _upsert_by_code(Speaker, event, _load("speakers.json", seed_dir),
                                                         ["name", "organisation", "job_title", "bio"])
        progress("program")
        new_talks = await _seed_talks(event, _load("talks.json", seed_dir), stages, tracks, speakers)
        added.talks = len(new_talks)
        if not created:
            entries += new_talks  # phones already follow this fair: tell them about the new talks
        progress("organisationer og udstillere")
        organisations, added.organisations = await _seed_organisations(
            event, _load("organisations.json", seed_dir))
        added.exhibitors = await _seed_exhibitors(event, _load("exhibitors.json", seed_dir))
        progress("deltagere")
        attendee_ids = await _seed_attendees(event, attendee_params, organisations)
        added.attendees = len(attendee_ids)
        if stars:
            progress("stjerner")
            added.stars = await _seed_stars(event, attendee_params["stars"], attendee_ids)
        changes = await record(event, entries)
        totals = await _totals(event)
    return SeedReport(event=event, created=created, totals=totals, added=added, moved_from=moved_from,
                      changes=changes)
