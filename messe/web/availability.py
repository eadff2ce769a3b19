"""Telling a lost database connection (503, try again) from a bug (500)."""

from __future__ import annotations

from tortoise.exceptions import DBConnectionError, OperationalError


def is_database_down(exc: BaseException) -> bool:
    if isinstance(exc, (DBConnectionError, ConnectionError, OSError)):
        return True
    if isinstance(exc, OperationalError):
        text = str(exc).lower()
        return any(w in text for w in ("connection", "closed", "terminat", "shutdown", "unavailable"))
    return type(exc).__module__.startswith("asyncpg") and "Connection" in type(exc).__name__
