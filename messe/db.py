"""Database configuration, migrations and connection checks."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url

from messe.config import normalise_database_url

MODEL_MODULES = [
    "messe.programme.models",
    "messe.people.models",
    "messe.expo.models",
    "messe.checkin.models",
    "messe.common.models",
    "messe.push.models",
]


# Tortoise opens SQLite in WAL mode. With synchronous=NORMAL a commit no longer waits for the disk:
# a power cut may lose the last commits but never corrupts the file (sqlite.org/pragma.html#pragma_synchronous),
# and the one database thread is free again at once.
SQLITE_PRAGMAS = {"synchronous": "NORMAL"}
# aiosqlite runs each statement on a thread; its answer waits until the busy event loop lets go of
# the GIL, which Python forces only every switch interval (5 ms by default). Under the fair's load
# (2,000 phones, 100 scans/s) those waits add up to seconds; 0.5 ms keeps scans in milliseconds.
SQLITE_SWITCH_INTERVAL = 0.0005
# Connections each worker keeps to PostgreSQL (Tortoise's default is 5). Every commit waits for
# the disk (about 9 ms on these machines); with five connections a worker has at most five scans
# in their commit at once, while PostgreSQL can commit many together. ``?maxsize=`` in the URL
# overrides it; two workers take 40 of PostgreSQL's default 100 connections.
POSTGRES_POOL_SIZE = 20


class DatabaseUnavailable(Exception):
    """The database cannot be reached; the message is one line for a person to read."""


def tortoise_config(database_url: str) -> dict[str, Any]:
    connection: str | dict[str, Any] = database_url
    if database_url.startswith("sqlite://"):
        connection = expand_db_url(database_url)
        connection["engine"] = "messe.sqlite_client"  # statements outside a transaction pipelined
        for pragma, value in SQLITE_PRAGMAS.items():
            connection["credentials"].setdefault(pragma, value)
    else:
        connection = expand_db_url(database_url)
        connection["credentials"].setdefault("maxsize", POSTGRES_POOL_SIZE)
    return {
        "connections": {"default": connection},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "messe.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def __getattr__(name: str) -> Any:
    """``messe.db.TORTOISE_ORM``, computed on access, for the ``tortoise`` command line
    (``tortoise -c messe.db.TORTOISE_ORM makemigrations``)."""
    if name == "TORTOISE_ORM":
        return tortoise_config(normalise_database_url(os.environ.get("MESSE_DATABASE_URL") or "sqlite://messe.sqlite3"))
    raise AttributeError(name)


@contextlib.contextmanager
def quick_thread_handoffs(database_url: str) -> Iterator[None]:
    """While serving from SQLite, let the event loop hand the GIL to aiosqlite's thread sooner."""
    if not database_url.startswith("sqlite://"):
        yield
        return
    before = sys.getswitchinterval()
    sys.setswitchinterval(SQLITE_SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def describe_failure(database_url: str, exc: BaseException) -> str:
    where = database_url.split("@")[-1]
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"Kan ikke forbinde til databasen ({where}): {reason}"


def check_sqlite_location(database_url: str) -> None:
    """Fail early and clearly when a SQLite file cannot be created (aiosqlite would hang instead)."""
    if not database_url.startswith("sqlite://"):
        return
    path = Path(urlsplit(database_url).netloc + urlsplit(database_url).path)
    if str(path) != ":memory:" and not path.parent.is_dir():
        raise DatabaseUnavailable(f"Kan ikke forbinde til databasen ({path}): mappen {path.parent} findes ikke")


async def migrate(database_url: str) -> None:
    """Apply every pending migration, creating the SQLite file or PostgreSQL database if needed."""
    from tortoise.migrations.api.migrate import migrate as run_migrations

    check_sqlite_location(database_url)
    config = tortoise_config(database_url)
    try:
        if database_url.startswith(("postgres", "asyncpg")):
            await _create_postgres_database(database_url)
        await run_migrations(config=config)
    except (OSError, ConnectionError) as exc:
        raise DatabaseUnavailable(describe_failure(database_url, exc)) from exc
    except Exception as exc:
        if type(exc).__module__.startswith(("asyncpg", "sqlite3", "tortoise.exceptions")):
            raise DatabaseUnavailable(describe_failure(database_url, exc)) from exc
        raise
    finally:
        await Tortoise.close_connections()


async def _create_postgres_database(database_url: str) -> None:
    """Create the database named in the URL when the server does not have it yet."""
    import asyncpg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_dsn = parts._replace(scheme="postgresql", path="/postgres").geturl()
    conn = await asyncpg.connect(admin_dsn, timeout=5)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
