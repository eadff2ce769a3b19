"""``messe badges`` (print badges to a PDF) and ``messe badge verify`` (check a scanned code)."""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from messe.badges.domain.badge import ROLES
from messe.badges.domain.files import OUT_DIR
from messe.commands import CommandError, command_group, run_async
from messe.common.models import Event
from messe.common.refusal import Refusal
from messe.config import Settings
from messe.i18n import ngettext_for

# The badge renderer and signer (reportlab, qrcode, cryptography: about a second to load) are
# imported inside the commands that use them, so that every other ``messe`` command starts without
# them. None of those imports breaks a cycle.

danish = ngettext_for("da")


async def _event(slug: str | None):
    event = await (Event.get_or_none(slug=slug) if slug else
                   Event.filter(is_current=True).order_by("-starts_at").first())
    if event is None:
        raise CommandError("Arrangementet findes ikke; kør 'messe seed' først eller angiv --event SLUG")
    return event


def _layout(name: str):
    from messe.badges.domain.fonts import FontError
    from messe.badges.domain.layouts import LayoutError, load_layout

    try:
        return load_layout(name)
    except (LayoutError, FontError) as exc:
        raise CommandError(str(exc)) from None


async def _badges(settings: Settings, args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from messe.badges.domain.batch import render_batch, start_fork_server
    from messe.badges.domain.printing import badge_data, mark_printed, select_attendees
    from messe.badges.domain.tokens import derive_private_key

    if args.workers is None or args.workers > 1:
        start_fork_server()  # the helpers' fork server loads its fonts while the attendees are read
    event = await _event(args.event)
    layout = _layout(args.layout)
    attendees = await select_attendees(event, role=args.role, organisation=args.organisation,
                                       attendee_id=args.attendee)
    if not attendees:
        raise CommandError("Ingen deltagere passer til de valgte filtre; intet er skrevet")
    if args.reprint:
        await mark_printed(attendees, reprint=True)
    out = Path(args.out) if args.out else OUT_DIR / f"{event.slug}-{layout.name}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    badges = [badge_data(a, event) for a in attendees]
    key = derive_private_key(settings.secret_key, event.slug)
    start = time.perf_counter()
    with Progress(TextColumn("Badges"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True) as bar:
        task = bar.add_task("badges", total=len(badges))
        try:
            with out.open("wb") as stream:
                pages = await asyncio.to_thread(
                    render_batch, badges, layout, key, stream, f"Badges – {event.name}",
                    lambda done: bar.update(task, completed=done), args.workers)
        except OSError as exc:
            raise CommandError(f"Kan ikke skrive {out}: {exc.strerror}") from None
    if not args.reprint:
        await mark_printed(attendees)
    seconds = time.perf_counter() - start
    size = out.stat().st_size / 1e6
    counted = danish("{count} badge", "{count} badges", len(badges)) + " på " + danish("{count} side", "{count} sider",
                                                                                     pages)
    print(f"{counted} ({layout.name}, {size:.1f} MB) skrevet til {out} på {seconds:.1f} s")
    return 0


async def _verify(settings: Settings, args: argparse.Namespace) -> int:
    from messe.badges.domain.printing import check_badge

    event = await _event(args.event)
    try:
        claims = await check_badge(args.payload.strip(), event, settings.secret_key)
    except Refusal as exc:
        print(f"ugyldig ({exc.reason}): {exc.message}")
        return 1
    organisation = f", {claims.organisation}" if claims.organisation else ""
    print(f"gyldig: badge {claims.attendee_id} version {claims.version} til {event.slug} – "
          f"{claims.name}{organisation}")
    return 0


def _role(value: str) -> str:
    role = value.strip().lower()
    if role not in ROLES:
        raise argparse.ArgumentTypeError(f"ukendt rolle {value!r}; vælg en af {', '.join(ROLES)}")
    return role


def register(sub: argparse._SubParsersAction) -> None:

    badges = sub.add_parser(
        "badges", help="skriv badges som PDF (alle, en rolle, en organisation eller én deltager)",
        description="Skriv badges med signeret QR-kode til en PDF. Layouts er filerne i badges/*.toml.")
    badges.add_argument("--out", metavar="FILE.pdf",
                        help="PDF-filen (standard: badges/out/<event>-<layout>.pdf)")
    badges.add_argument("--layout", default="a6", metavar="NAME",
                        help="layout: a6, a4-4up, cr80, label-4x3 eller et eget i badges/ (standard: a6)")
    badges.add_argument("--role", type=_role, metavar="R",
                        help="kun denne rolle (deltager, udstiller, taler, presse, arrangør)")
    badges.add_argument("--organisation", metavar="ORG", help="kun deltagere fra denne organisation")
    badges.add_argument("--attendee", type=int, metavar="ID", help="kun denne deltager (genoptryk, walk-in)")
    badges.add_argument("--reprint", action="store_true",
                        help="genoptryk: giv badgene en ny version, så de gamle QR-koder afvises")
    badges.add_argument("--workers", type=int, metavar="N", help="antal processer (standard: alle kerner)")
    badges.add_argument("--event", metavar="SLUG", help="arrangementet (standard: det aktuelle)")
    badges.set_defaults(handler=run_async(_badges))

    badge_sub = command_group(sub, "badge", help="tjek badges", description="Tjek en skannet badge-QR-kode.")
    verify = badge_sub.add_parser(
        "verify", help="sig om en QR-kode er et gyldigt badge (exit 0) eller hvorfor ikke (exit 1)",
        description="Tjek signatur, arrangement og version af en badge-QR-kode. Sæt koden i anførselstegn; "
        "den kan indeholde mellemrum.")
    verify.add_argument("payload", metavar="PAYLOAD", help="teksten i QR-koden, fx \"M1:...\"")
    verify.add_argument("--event", metavar="SLUG", help="arrangementet (standard: det aktuelle)")
    verify.set_defaults(handler=run_async(_verify))
