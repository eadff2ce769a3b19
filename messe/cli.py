"""The ``messe`` command line. Each domain adds its own subcommands through ``register()``."""

from __future__ import annotations

import argparse
import sys

from messe import cli_danish
from messe import serving as serving_commands
from messe.badges import commands as badge_commands
from messe.commands import CommandError
from messe.config import ConfigError
from messe.db import DatabaseUnavailable
from messe.people import commands as people_commands


def build_parser() -> argparse.ArgumentParser:
    cli_danish.install()
    parser = argparse.ArgumentParser(
        prog="messe",
        description="messe – eventplatformen til Digitaliseringsmessen. Indstilles med MESSE_*-miljøvariabler "
        "(se README). Skriv 'messe KOMMANDO --help' for hjælp til en kommando.",
    )
    parser.set_defaults(handler=lambda args: parser.print_help())
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", title="kommandoer")
    serving_commands.register(sub)
    people_commands.register(sub)
    badge_commands.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.handler(args)
    except (ConfigError, DatabaseUnavailable, CommandError) as exc:
        print(f"messe: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return int(result or 0)
