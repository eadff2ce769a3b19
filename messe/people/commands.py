"""``messe create-user`` and ``messe token create``."""

from __future__ import annotations

import argparse
import getpass
import os

from messe.config import Settings


async def _event_and_exhibitor(args: argparse.Namespace):
    from messe.cli import CommandError
    from messe.expo.models import Exhibitor
    from messe.programme.models import Event

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
    from messe.cli import CommandError
    from messe.people.domain.accounts import AccountError, create_account
    from messe.people.domain.passwords import MIN_PASSWORD_LENGTH

    event, exhibitor = await _event_and_exhibitor(args)
    password = os.environ.get("MESSE_NEW_PASSWORD") or getpass.getpass("Adgangskode: ")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CommandError(f"Adgangskoden skal være mindst {MIN_PASSWORD_LENGTH} tegn")
    try:
        account = await create_account(event, args.username, password, args.role, name=args.name or "",
                                       exhibitor=exhibitor)
    except AccountError as exc:
        raise CommandError(str(exc)) from None
    print(f"Oprettet {account.role}-konto '{account.username}' til {event.name}.")
    return 0


async def _create_token(settings: Settings, args: argparse.Namespace) -> int:
    from messe.cli import CommandError
    from messe.people.domain.accounts import AccountError, create_api_token

    event, exhibitor = await _event_and_exhibitor(args)
    try:
        token = await create_api_token(event, args.role, name=args.name or args.role, exhibitor=exhibitor)
    except AccountError as exc:
        raise CommandError(str(exc)) from None
    print(token)
    return 0


async def _purge(settings: Settings, args: argparse.Namespace) -> int:
    from messe.people.domain.privacy import purge_event
    from messe.programme.models import Event

    for event in await Event.all().order_by("starts_at"):
        erased = await purge_event(event, args.after_days)
        if erased:
            print(f"{event.name}: persondata for {erased} deltagere er slettet (se revisionsloggen).")
        else:
            print(f"{event.name}: intet at slette (sluttede for under {args.after_days} dage siden, "
                  "eller er allerede slettet).")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from messe.cli import at_least, run_async
    from messe.people.models import AccountRole

    user = sub.add_parser("create-user", help="opret en login-konto (arrangør, dør eller udstiller)",
                          description="Opret en konto med adgangskode. Adgangskoden spørges om, eller læses "
                          "fra MESSE_NEW_PASSWORD.")
    user.add_argument("username")
    user.add_argument("--role", required=True, choices=AccountRole.ALL)
    user.add_argument("--exhibitor", metavar="STAND", help="udstillerens standnummer (for --role exhibitor)")
    user.add_argument("--name", help="navnet, der vises")
    user.add_argument("--event", metavar="SLUG", help="arrangementet (standard: det aktuelle)")
    user.set_defaults(handler=run_async(_create_user))

    token = sub.add_parser("token", help="API-tokens", description="Håndtér API-tokens.")
    token_sub = token.add_subparsers(dest="token_command", metavar="SUBCOMMAND", required=True)
    create = token_sub.add_parser("create", help="udskriv et nyt API-token",
                                  description="Opret et API-token og udskriv det (det vises kun denne ene gang).")
    create.add_argument("--role", required=True, choices=AccountRole.ALL)
    create.add_argument("--exhibitor", metavar="STAND", help="udstillerens standnummer (for --role exhibitor)")
    create.add_argument("--name", help="et navn, så tokenet kan kendes igen")
    create.add_argument("--event", metavar="SLUG", help="arrangementet (standard: det aktuelle)")
    create.set_defaults(handler=run_async(_create_token))

    purge = sub.add_parser("purge", help="slet deltagernes persondata efter messen",
                           description="Slet navne, kontaktoplysninger, links og programmer for alle deltagere i "
                           "arrangementer, der sluttede for mere end N dage siden. Det slettede skrives i "
                           "revisionsloggen.")
    purge.add_argument("--after-days", type=at_least(0), required=True, metavar="N")
    purge.set_defaults(handler=run_async(_purge))
