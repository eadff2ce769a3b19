"""Loading the fair from the data files in ``seed/``.

Idempotent: every record is found by its natural key (event slug, stage/track/speaker/talk
code, organisation name, stand, attendee e-mail) and only created when missing, so running it
twice gives the same counts. The 2,000 attendees are generated with Faker from a fixed seed.
"""

from __future__ import annotations

import json
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from faker import Faker
from tortoise.transactions import in_transaction

from messe.expo.models import Exhibitor
from messe.people.models import Attendee, Organisation
from messe.programme.domain.snapshot import talk_snapshot
from messe.programme.models import Event, Speaker, Stage, Talk, TalkState, Track

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


class SeedError(Exception):
    """A seed file is missing or malformed; the message names the file."""


@dataclass
class SeedReport:
    event: Event
    stages: int
    talks: int
    speakers: int
    exhibitors: int
    organisations: int
    attendees: int


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


async def _upsert_event(data: dict[str, Any], day: date) -> Event:
    tz = ZoneInfo(data["timezone"])
    values = {
        "name": data["name"], "short_name": data.get("short_name", ""), "venue": data.get("venue", ""),
        "address": data.get("address", ""), "description": data.get("description", ""),
        "timezone": data["timezone"], "halls": data.get("halls", []), "is_current": True,
        "starts_at": _at(day, data["start"], tz), "ends_at": _at(day, data["end"], tz),
    }
    event = await Event.get_or_none(slug=data["slug"])
    if event is None:
        return await Event.create(slug=data["slug"], **values)
    shift = values["starts_at"] - event.starts_at
    event.update_from_dict(values)
    await event.save()
    if shift:
        # The fair moved to another day (``messe demo`` places it on today): move its talks along.
        for talk in await Talk.filter(event=event).prefetch_related("stage", "track", "speakers"):
            talk.starts_at += shift
            talk.ends_at += shift
            if talk.published is not None:
                talk.published = talk_snapshot(talk)
            await talk.save(update_fields=["starts_at", "ends_at", "published"])
    return event


async def _upsert_by_code(model: type, event: Event, rows: list[dict[str, Any]], fields: list[str]) -> dict:
    existing = {obj.code: obj for obj in await model.filter(event=event)}
    for position, row in enumerate(rows):
        if row["code"] not in existing:
            extra = {"position": position} if model is Stage else {}
            existing[row["code"]] = await model.create(
                event=event, code=row["code"], **{f: row[f] for f in fields if f in row}, **extra)
    return existing


async def _seed_talks(event: Event, rows: list[dict[str, Any]], stages: dict, tracks: dict, speakers: dict) -> int:
    tz = ZoneInfo(event.timezone)
    day = event.starts_at.astimezone(tz).date()
    existing = set(await Talk.filter(event=event).values_list("code", flat=True))
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
        await talk.fetch_related("stage", "track", "speakers")
        talk.published = talk_snapshot(talk)
        await talk.save(update_fields=["published"])
    return await Talk.filter(event=event).count()


async def _seed_organisations(event: Event, rows: list[dict[str, Any]]) -> dict[str, Organisation]:
    existing = {o.name: o for o in await Organisation.filter(event=event)}
    new = [Organisation(event=event, name=r["name"], kind=r["kind"]) for r in rows if r["name"] not in existing]
    if new:
        await Organisation.bulk_create(new)
        existing = {o.name: o for o in await Organisation.filter(event=event)}
    return existing


async def _seed_exhibitors(event: Event, rows: list[dict[str, Any]]) -> int:
    existing = set(await Exhibitor.filter(event=event).values_list("stand", flat=True))
    fields = ("name", "hall", "description", "website", "x", "y", "width")
    new = [Exhibitor(event=event, stand=r["stand"], **{f: r[f] for f in fields if f in r},
                     lead_tags=r.get("lead_tags", ["Varm", "Opfølgning", "Demo", "Tilbud"]))
           for r in rows if r["stand"] not in existing]
    if new:
        await Exhibitor.bulk_create(new)
    return await Exhibitor.filter(event=event).count()


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


async def _seed_attendees(event: Event, params: dict[str, Any], organisations: dict[str, Organisation]) -> int:
    existing = set(await Attendee.filter(event=event).values_list("email", flat=True))
    people = generate_attendees(params, sorted(organisations.values(), key=lambda o: o.name))
    new = [Attendee(event=event, **p) for p in people if p["email"] not in existing]
    if new:
        await Attendee.bulk_create(new, batch_size=500)
    return await Attendee.filter(event=event).count()


async def seed(
    seed_dir: Path = SEED_DIR,
    on_date: date | None = None,
    attendee_limit: int | None = None,
    progress: Callable[[str], None] = lambda step: None,
) -> SeedReport:
    """Load (or top up) the fair from ``seed_dir``; ``on_date`` moves the fair to that day."""
    event_data = _load("event.json", seed_dir)
    attendee_params = _load("attendees.json", seed_dir)
    if attendee_limit is not None:
        attendee_params = {**attendee_params, "count": attendee_limit}
    day = on_date or date.fromisoformat(event_data["date"])
    async with in_transaction():
        progress("arrangement")
        event = await _upsert_event(event_data, day)
        progress("scener og spor")
        stages = await _upsert_by_code(Stage, event, _load("stages.json", seed_dir),
                                       ["name", "hall", "capacity"])
        tracks = await _upsert_by_code(Track, event, _load("tracks.json", seed_dir), ["name", "color"])
        speakers = await _upsert_by_code(Speaker, event, _load("speakers.json", seed_dir),
                                         ["name", "organisation", "job_title", "bio"])
        progress("program")
        talks = await _seed_talks(event, _load("talks.json", seed_dir), stages, tracks, speakers)
        progress("organisationer og udstillere")
        organisations = await _seed_organisations(event, _load("organisations.json", seed_dir))
        exhibitors = await _seed_exhibitors(event, _load("exhibitors.json", seed_dir))
        progress("deltagere")
        attendees = await _seed_attendees(event, attendee_params, organisations)
    return SeedReport(event=event, stages=len(stages), talks=talks, speakers=len(speakers),
                      exhibitors=exhibitors, organisations=len(organisations), attendees=attendees)
