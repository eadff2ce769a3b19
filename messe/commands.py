"""What every part's commands share: running them with the settings and an open database,
failing in one line, and small argparse helpers. (The ``messe`` command itself is messe.cli.)"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from tortoise import Tortoise
from tortoise.exceptions import OperationalError

from messe.config import Settings
from messe.db import DatabaseUnavailable, check_sqlite_location, describe_failure, tortoise_config


class CommandError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


def run_async(coro_factory: Callable[[Settings], Awaitable[Any]]) -> Callable[[argparse.Namespace], Any]:
    """Wrap an async command so it gets the settings and an open database, and fails in one line."""

    def runner(args: argparse.Namespace) -> Any:
        settings = Settings.from_env()
        return asyncio.run(_with_database(settings, coro_factory, args))

    return runner


async def _with_database(settings: Settings, command: Callable[..., Awaitable[Any]], args: argparse.Namespace) -> Any:
    check_sqlite_location(settings.database_url)
    try:
        await Tortoise.init(config=tortoise_config(settings.database_url), _enable_global_fallback=True)
        await Tortoise.get_connection("default").execute_query("SELECT 1")
    except (OSError, ConnectionError) as exc:
        raise DatabaseUnavailable(describe_failure(settings.database_url, exc)) from exc
    except Exception as exc:
        if type(exc).__module__.startswith(("asyncpg", "sqlite3", "tortoise")):
            raise DatabaseUnavailable(describe_failure(settings.database_url, exc)) from exc
        raise
    try:
        return await command(settings, args)
    except OperationalError as exc:
        if _missing_table(exc):
            raise DatabaseUnavailable("Databasen har ikke messes tabeller endnu; kør 'messe migrate' først") from exc
        raise
    finally:
        await Tortoise.close_connections()


def _missing_table(exc: Exception) -> bool:
    text = str(exc).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type for whole numbers of at least ``minimum``."""

    def parse(value: str) -> int:
        number = int(value)
        if number < minimum:
            raise argparse.ArgumentTypeError(f"skal være mindst {minimum}")
        return number

    return parse


def command_group(sub: argparse._SubParsersAction, name: str, help: str, description: str
                  ) -> argparse._SubParsersAction:
    """A command with subcommands (``messe token create``); alone it prints its help."""
    group = sub.add_parser(name, help=help, description=description)
    group.set_defaults(handler=lambda args: group.print_help())
    return group.add_subparsers(dest=f"{name}_command", metavar="UNDERKOMMANDO", title="underkommandoer")
