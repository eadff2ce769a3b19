"""``messe create-user``, ``messe token create|list|revoke`` and ``messe purge``."""

from __future__ import annotations

import argparse
import getpass
import os

from messe.commands import CommandError, at_least, command_group, run_async
from messe.common.models import Event
from messe.common.refusal import Refusal
from messe.config import Settings
from messe.expo.models import Exhibitor
from messe.i18n import ngettext_for
from messe.people.domain.accounts import create_account, create_api_token
from messe.people.domain.logins import revoke_token
from messe.people.domain.passwords import MIN_PASSWORD_LENGTH
from messe.people.models import AccountRole, ApiToken

danish = ngettext_for("da")


async def _event_and_exhibitor(args: argparse.Namespace):
    event = await (Event.get_or_none(slug=args.event) if args.event else
                   Event.filter(is_current=True).order_by("-starts_at").first())
    if event is None:
        raise CommandError("Arrangementet findes ikke; kør 'messe seed' først eller angiv --event SLUG")
    exhibitor = None
    if args.exhibitor:
        exhibitor = await Exhibitor.get_or_none(event=event, stand=args.exhibitor.upper())
        if exhibitor is None:
            raise CommandError(f"Der er ingen udstiller på stand {args.exhibitor}")
    return event, exhibitor


async def _create_user(settings: Settings, args: argparse.Namespace) -> int:
    event, exhibitor = await _event_and_exhibitor(args)
    password = os.environ.get("MESSE_NEW_PASSWORD") or getpass.getpass("Adgangskode: ")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CommandError(f"Adgangskoden skal være mindst {MIN_PASSWORD_LENGTH} tegn")
    try:
        account = await create_account(event, args.username, password, args.role, name=args.name or "",
                                       exhibitor=exhibitor)
    except Refusal as exc:
        raise CommandError(str(exc)) from None
    print(f"Oprettet {account.role}-konto '{account.username}' til {event.name}.")
    return 0


async def _create_token(settings: Settings, args: argparse.Namespace) -> int:
    event, exhibitor = await _event_and_exhibitor(args)
    try:
        token = await create_api_token(event, args.role, name=args.name or args.role, exhibitor=exhibitor)
    except Refusal as exc:
        raise CommandError(str(exc)) from None
    print(token)
    return 0


def _when(moment, event) -> str:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(event.timezone)).strftime("%Y-%m-%d %H:%M") if moment else "–"


async def _list_tokens(settings: Settings, args: argparse.Namespace) -> int:
    event, _ = await _event_and_exhibitor(args)
    tokens = await ApiToken.filter(event=event).select_related("exhibitor").order_by("id")
    if not args.all:
        tokens = [t for t in tokens if t.revoked_at is None]
    if not tokens:
        print(f"{event.name}: ingen API-tokens" + ("" if args.all else " i brug (--all viser også tilbagekaldte)"))
        return 0
    print(f"{'ID':>5}  {'ROLLE':<10} {'STAND':<6} {'OPRETTET':<16}  {'SIDST BRUGT':<16}  {'TILBAGEKALDT':<16}  NAVN")
    for token in tokens:
        stand = token.exhibitor.stand if token.exhibitor else ""
        print(f"{token.id:>5}  {token.role:<10} {stand:<6} {_when(token.created_at, event):<16}  "
              f"{_when(token.last_used_at, event):<16}  {_when(token.revoked_at, event):<16}  {token.name}")
    return 0


async def _revoke_token(settings: Settings, args: argparse.Namespace) -> int:
    event, _ = await _event_and_exhibitor(args)
    try:
        token = await revoke_token(event, args.id, actor="messe token revoke")
    except Refusal:
        raise CommandError(f"Der er intet API-token med id {args.id}; se 'messe token list'") from None
    print(f"Tokenet '{token.name}' (id {token.id}) er tilbagekaldt; det virker ikke længere.")
    return 0


async def _purge(settings: Settings, args: argparse.Namespace) -> int:
    # Not a cycle: erasing reaches the badge jobs (messe.badges.domain.badge_jobs), which load the
    # badge renderer (reportlab, qrcode; about half a second), and only ``messe purge`` needs it.
    from messe.people.domain.privacy import purge

    for event in await Event.all().order_by("starts_at"):
        erased = await purge(event, args.after_days)
        if erased:
            print(f"{event.name}: persondata for "
                  + danish("{count} deltager", "{count} deltagere", erased) + " er slettet (se revisionsloggen).")
        else:
            print(f"{event.name}: intet at slette (sluttede for under "
                  + danish("{count} dag", "{count} dage", args.after_days) + " siden, eller er allerede slettet).")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("create-user", help="opret en login-konto (arrangør, dør eller udstiller)",
                          description="Opret en konto med adgangskode. Adgangskoden spørges om, eller læses "
                          "fra MESSE_NEW_PASSWORD.")
    user.add_argument("username", metavar="BRUGERNAVN", help="brugernavnet, kontoen logger ind med")
    user.add_argument("--role", required=True, choices=AccountRole.ALL, help="kontoens rolle")
    user.add_argument("--exhibitor", metavar="STAND", help="udstillerens standnummer (for --role exhibitor)")
    user.add_argument("--name", help="navnet, der vises")
    user.add_argument("--event", metavar="SLUG", help="arrangementet (standard: det aktuelle)")
    user.set_defaults(handler=run_async(_create_user))

    token_sub = command_group(sub, "token", help="API-tokens: opret, vis og tilbagekald",
                              description="Håndtér API-tokens til scannere og integrationer.")
    create = token_sub.add_parser("create", help="udskriv et nyt API-token",
                                  description="Opret et API-token og udskriv det (det vises kun denne ene gang).")
    create.add_argument("--role", required=True, choices=AccountRole.ALL, help="tokenets rolle")
    create.add_argument("--exhibitor", metavar="STAND", help="udstillerens standnummer (for --role exhibitor)")
    create.add_argument("--name", help="et navn, så tokenet kan kendes igen")
    create.add_argument("--event", metavar="SLUG", help="arrangementet (standard: det aktuelle)")
    create.set_defaults(handler=run_async(_create_token))

    listing = token_sub.add_parser("list", help="vis API-tokens i brug",
                                   description="Vis arrangementets API-tokens: id, rolle, stand, hvornår de blev "
                                   "oprettet og sidst brugt. Selve tokenet kan ikke vises igen.")
    listing.add_argument("--all", action="store_true", help="vis også tilbagekaldte tokens")
    listing.add_argument("--event", metavar="SLUG", help="arrangementet (standard: det aktuelle)")
    listing.set_defaults(handler=run_async(_list_tokens), exhibitor=None)

    revoke = token_sub.add_parser("revoke", help="tilbagekald et API-token",
                                  description="Tilbagekald et API-token, så det ikke virker længere (skrives i "
                                  "revisionsloggen).")
    revoke.add_argument("id", type=int, metavar="ID", help="tokenets id fra 'messe token list'")
    revoke.add_argument("--event", metavar="SLUG", help="arrangementet (standard: det aktuelle)")
    revoke.set_defaults(handler=run_async(_revoke_token), exhibitor=None)

    purge = sub.add_parser("purge", help="slet deltagernes persondata efter messen",
                           description="Slet navne, kontaktoplysninger, links og programmer for alle deltagere i "
                           "arrangementer, der sluttede for mere end N dage siden. Det slettede skrives i "
                           "revisionsloggen.")
    purge.add_argument("--after-days", type=at_least(0), required=True, metavar="N",
                       help="slet for arrangementer, der sluttede for mere end N dage siden")
    purge.set_defaults(handler=run_async(_purge))
