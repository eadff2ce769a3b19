"""Commands that set up and run the fair: ``demo``, ``serve``, ``migrate`` and ``seed``."""

from __future__ import annotations

import argparse
import asyncio
import secrets
import time
from datetime import date

from rich.console import Console

from messe.config import Settings
from messe.db import migrate

# soft_wrap: links and passwords must never be broken across lines when copied.
console = Console(highlight=False, soft_wrap=True)

DEMO_ACCOUNTS = (
    ("arrangoer", "organiser", "Demo Arrangør", None),
    ("doer", "door", "Demo Dørpersonale", None),
    ("udstiller", "exhibitor", "Demo Udstiller", "KOMBIT"),
)


def _serve(settings: Settings, host: str, port: int, workers: int) -> None:
    import uvicorn

    # X-Forwarded-For and -Proto are believed from MESSE_TRUSTED_PROXIES only (none by default).
    trusted = list(settings.trusted_proxies)
    uvicorn.run(
        "messe.app:create_app", factory=True, host=host, port=port, workers=workers,
        ws_per_message_deflate=False, ws_max_size=1 << 16, access_log=False, log_level="info",
        proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None, timeout_graceful_shutdown=5,
    )


def _migrate_command(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    asyncio.run(migrate(settings.database_url))
    console.print(f"Databasen er opdateret ({settings.database_url.split('@')[-1]}).")
    return 0


async def _seed_command(settings: Settings, args: argparse.Namespace) -> int:
    from messe.seeding import seed

    started = time.perf_counter()
    report = await seed(on_date=args.date)
    took = time.perf_counter() - started
    console.print(
        f"{report.event.name}: {report.talks} indlæg, {report.stages} scener, {report.speakers} talere, "
        f"{report.exhibitors} udstillere, {report.organisations} organisationer, "
        f"{report.attendees} deltagere ({took:.1f} s)."
    )
    return 0


async def _prepare_demo(settings: Settings, args: argparse.Namespace) -> None:
    from messe.expo.models import Exhibitor
    from messe.people.domain.accounts import create_api_token, issue_personal_link_token
    from messe.people.domain.passwords import hash_password
    from messe.people.models import Account, Attendee
    from messe.seeding import seed

    started = time.perf_counter()
    report = await seed(on_date=date.today())
    event = report.event
    base = f"http://{args.host}:{args.port}"
    console.print(
        f"[bold]{event.name}[/bold] er klar på {time.perf_counter() - started:.1f} s: {report.talks} indlæg, "
        f"{report.exhibitors} udstillere, {report.attendees} deltagere."
    )
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
    from messe.cli import run_async

    settings = Settings.from_env()
    asyncio.run(migrate(settings.database_url))
    run_async(_prepare_demo)(args)
    _serve(settings, args.host, args.port, 1)
    return 0


def _serve_command(args: argparse.Namespace) -> int:
    from messe.cli import run_async

    async def check(settings: Settings, _: argparse.Namespace) -> None:
        from messe.programme.models import Event

        await Event.all().count()

    settings = Settings.from_env()
    run_async(check)(args)
    _serve(settings, args.host, args.port, args.workers)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from messe.cli import at_least, run_async

    demo = sub.add_parser("demo", help="opret en SQLite-database med den seedede messe på dagens dato og kør den",
                          description="Migrér, seed Digitaliseringsmessen på dagens dato, udskriv demo-logins "
                          "og kør serveren.")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.set_defaults(handler=_demo_command)

    serve = sub.add_parser("serve", help="kør serveren på en eksisterende database",
                           description="Kør messe med uvicorn. Med --workers N og MESSE_REDIS_URL deler "
                           "processerne live-opdateringer over Redis.")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=at_least(1), default=1)
    serve.set_defaults(handler=_serve_command)

    mig = sub.add_parser("migrate", help="anvend databasemigreringer",
                         description="Opret eller opdatér databasens skema (SQLite eller PostgreSQL).")
    mig.set_defaults(handler=_migrate_command)

    seed = sub.add_parser("seed", help="indlæs messen fra seed/ (idempotent)",
                          description="Indlæs Digitaliseringsmessen fra seed/: scener, program, udstillere, "
                          "kommuner og 2.000 deltagere. Kan køres flere gange.")
    seed.add_argument("--date", type=date.fromisoformat, default=None,
                      help="flyt messen til denne dato (ÅÅÅÅ-MM-DD)")
    seed.set_defaults(handler=run_async(_seed_command))
