"""Telling a lost database connection (503, try again) from a bug (500)."""

from __future__ import annotations

import asyncpg
from tortoise.exceptions import DBConnectionError, OperationalError

# Errors that only ever mean the database is out of reach: refused or lost connections, and
# PostgreSQL shutting down, starting up or restarting (Tortoise passes these through untranslated).
DATABASE_DOWN: tuple[type[Exception], ...] = (
    DBConnectionError,
    ConnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)


def is_database_down(exc: BaseException) -> bool:
    if isinstance(exc, (*DATABASE_DOWN, OSError)):
        return True
    if isinstance(exc, OperationalError):
        text = str(exc).lower()
        return any(w in text for w in ("connection", "closed", "terminat", "shutdown", "unavailable"))
    return isinstance(exc, asyncpg.InterfaceError) and "connection" in str(exc).lower()
