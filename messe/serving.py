"""Commands that set up and run the fair: ``demo``, ``serve``, ``migrate`` and ``seed``."""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import time
from datetime import date

from rich.console import Console

from messe.commands import CommandError, at_least, run_async
from messe.common.models import Event
from messe.config import Settings
from messe.db import migrate
from messe.expo.models import Exhibitor
from messe.i18n import ngettext_for
from messe.people.domain.accounts import create_api_token, issue_personal_link_token
from messe.people.domain.passwords import hash_password
from messe.people.models import Account, Attendee
from messe.seeding import Counts, DateConflict, SeedError, SeedReport, seed
from messe.web.websocket_server import UVICORN_WS

# soft_wrap: links and passwords must never be broken across lines when copied.
console = Console(highlight=False, soft_wrap=True)
danish = ngettext_for("da")

DEMO_ACCOUNTS = (
    ("arrangoer", "organiser", "Demo Arrangør", None),
    ("doer", "door", "Demo Dørpersonale", None),
    ("udstiller", "exhibitor", "Demo Udstiller", "KOMBIT"),
)


def served_url(host: str, port: int) -> str:
    """The address links point at: MESSE_BASE_URL when set, else the host and port served."""
    if os.environ.get("MESSE_BASE_URL"):
        return os.environ["MESSE_BASE_URL"].rstrip("/")
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def _serve(settings: Settings, host: str, port: int, workers: int) -> None:
    import uvicorn

    # The application (in every worker) reads its settings from the environment: without
    # MESSE_BASE_URL, the links it makes (calendar feeds, .ics, personal links) name this server.
    os.environ["MESSE_BASE_URL"] = served_url(host, port)

    # X-Forwarded-For and -Proto are believed from MESSE_TRUSTED_PROXIES only (none by default).
    trusted = list(settings.trusted_proxies)
    uvicorn.run(
        "messe.app:create_app", factory=True, host=host, port=port, workers=workers,
        ws=UVICORN_WS, ws_per_message_deflate=False, ws_max_size=1 << 16, access_log=False, log_level="info",
        proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None, timeout_graceful_shutdown=5,
    )


def _migrate_command(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    asyncio.run(migrate(settings.database_url))
    console.print(f"Databasen er opdateret ({settings.database_url.split('@')[-1]}).")
    return 0


# What a fair holds, in Danish singular and plural, in the order the seed summary names them.
KINDS = (("talks", "{count} indlæg", "{count} indlæg"), ("stages", "{count} scene", "{count} scener"),
         ("tracks", "{count} spor", "{count} spor"), ("speakers", "{count} taler", "{count} talere"),
         ("exhibitors", "{count} udstiller", "{count} udstillere"),
         ("organisations", "{count} organisation", "{count} organisationer"),
         ("attendees", "{count} deltager", "{count} deltagere"), ("stars", "{count} stjerne", "{count} stjerner"))


def _counted(counts: Counts, *, skip_zero: bool) -> str:
    return ", ".join(danish(one, many, getattr(counts, kind)) for kind, one, many in KINDS
                     if getattr(counts, kind) or not skip_zero)


def _describe(report: SeedReport, took: float) -> None:
    """Say what seeding did: what the fair holds, what this run added, and whether it moved."""
    console.print(f"{report.event.name} ({report.day.isoformat()}): {_counted(report.totals, skip_zero=False)} "
                  f"({took:.1f} s).")
    if report.created:
        console.print("Messen er oprettet.")
        return
    if report.moved_from:
        console.print(f"Messen er flyttet fra {report.moved_from.isoformat()} til {report.day.isoformat()}; "
                      + danish("{count} ændring er skrevet", "{count} ændringer er skrevet", len(report.changes))
                      + " i ændringsloggen, så telefonerne følger med.")
    listed = _counted(report.added, skip_zero=True)
    console.print(f"Tilføjet: {listed}." if listed else
                  "Messen fandtes allerede og manglede intet; det offentliggjorte program er uændret.")


async def _seed_command(settings: Settings, args: argparse.Namespace) -> int:

    if args.move_date and args.date is None:
        raise CommandError("--move-date kræver --date ÅÅÅÅ-MM-DD (dagen, messen skal flyttes til)")
    started = time.perf_counter()
    try:
        report = await seed(on_date=args.date, move_date=args.move_date, stars=True)
    except SeedError as exc:
        raise CommandError(str(exc)) from None
    _describe(report, time.perf_counter() - started)
    return 0


async def _prepare_demo(settings: Settings, args: argparse.Namespace) -> None:

    started = time.perf_counter()
    try:
        report = await seed(on_date=date.today(), move_date=args.move_date, stars=True, actor="messe demo")
    except DateConflict as exc:
        # A later day against an existing database: the programme stays where it is.
        report = await seed(stars=True, actor="messe demo")
        console.print(f"Messen bliver liggende den {exc.current.isoformat()}; start med --move-date for at "
                      "flytte den til i dag.")
    _describe(report, time.perf_counter() - started)
    event = report.event
    base = served_url(args.host, args.port)
    console.print(f"\n  Program (deltagere):   {base}/{event.slug}/")
    console.print(f"  Log ind (personale):   {base}/{event.slug}/login")
    console.print(f"  API-dokumentation:     {base}/{event.slug}/api/openapi.json\n")
    for username, role, name, exhibitor_name in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(9)
        exhibitor = await Exhibitor.get_or_none(event=event, name=exhibitor_name) if exhibitor_name else None
        if exhibitor_name and exhibitor is None:
            exhibitor = await Exhibitor.filter(event=event).order_by("stand").first()
        await Account.update_or_create(
            event=event, username=username,
            defaults={"name": name, "role": role, "password_hash": hash_password(password),
                      "exhibitor": exhibitor, "is_active": True})
        where = f" (stand {exhibitor.stand}, {exhibitor.name})" if exhibitor else ""
        console.print(f"  {name:<20} brugernavn [bold]{username}[/bold]  adgangskode [bold]{password}[/bold]{where}")
    # Past the seeded stress-test names, so the demo attendee is an ordinary one.
    attendee = await Attendee.filter(event=event, role="deltager").order_by("id").offset(50).first()
    if attendee is not None:
        token = await issue_personal_link_token(attendee)
        console.print(f"  Deltager ({attendee.name}): {base}/{event.slug}/link/{token}")
    api_token = await create_api_token(event, "organiser", name="demo")
    console.print(f"  API-token (arrangør):  {api_token}\n")


def _demo_command(args: argparse.Namespace) -> int:

    settings = Settings.from_env()
    asyncio.run(migrate(settings.database_url))
    run_async(_prepare_demo)(args)
    _serve(settings, args.host, args.port, 1)
    return 0


def _serve_command(args: argparse.Namespace) -> int:

    async def check(settings: Settings, _: argparse.Namespace) -> None:

        await Event.all().count()

    settings = Settings.from_env()
    run_async(check)(args)
    _serve(settings, args.host, args.port, args.workers)
    return 0


def register(sub: argparse._SubParsersAction) -> None:

    demo = sub.add_parser("demo", help="opret en SQLite-database med den seedede messe på dagens dato og kør den",
                          description="Migrér, seed Digitaliseringsmessen på dagens dato, udskriv demo-logins "
                          "og kør serveren. Findes messen allerede på en anden dag, bliver den liggende, "
                          "medmindre --move-date er givet.")
    _host_and_port(demo)
    demo.add_argument("--move-date", action="store_true",
                      help="flyt en eksisterende messe til i dag (telefonerne får besked via ændringsloggen)")
    demo.set_defaults(handler=_demo_command)

    serve = sub.add_parser("serve", help="kør serveren på en eksisterende database",
                           description="Kør messe med uvicorn. Med --workers N og MESSE_REDIS_URL deler "
                           "processerne live-opdateringer over Redis.")
    _host_and_port(serve)
    serve.add_argument("--workers", type=at_least(1), default=1, metavar="N",
                       help="antal serverprocesser (standard: 1)")
    serve.set_defaults(handler=_serve_command)

    mig = sub.add_parser("migrate", help="anvend databasemigreringer",
                         description="Opret eller opdatér databasens skema (SQLite eller PostgreSQL).")
    mig.set_defaults(handler=_migrate_command)

    seed_parser = sub.add_parser(
        "seed", help="indlæs messen fra seed/, eller tilføj det, der mangler",
        description="Indlæs Digitaliseringsmessen fra seed/: scener, program, udstillere, kommuner og 2.000 "
        "deltagere. Kan køres flere gange: en eksisterende messe får kun tilføjet det, der mangler, og "
        "det offentliggjorte program, dets versioner og messens dato ændres ikke.")
    seed_parser.add_argument("--date", type=date.fromisoformat, default=None, metavar="ÅÅÅÅ-MM-DD",
                             help="datoen for en ny messe; en eksisterende messe flyttes kun med --move-date")
    seed_parser.add_argument("--move-date", action="store_true",
                             help="flyt en eksisterende messe til --date (skrives i ændringsloggen og "
                             "revisionsloggen, så telefonerne følger med)")
    seed_parser.set_defaults(handler=run_async(_seed_command))


def _host_and_port(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="adressen, serveren lytter på (standard: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="porten, serveren lytter på (standard: 8000)")
