"""Settings read from the environment.

Secrets never live in the repository: when ``MESSE_SECRET_KEY`` is unset, a key is
generated once and kept in ``~/.config/messe/secret_key`` (or ``MESSE_SECRET_FILE``).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


class ConfigError(Exception):
    """A setting has a value messe cannot use; the message says which and why."""


SUPPORTED_DB_SCHEMES = ("sqlite", "postgres", "postgresql", "asyncpg")


def _secret_file() -> Path:
    default = Path.home() / ".config" / "messe" / "secret_key"
    return Path(os.environ.get("MESSE_SECRET_FILE", default))


def _load_or_create_secret() -> str:
    path = _secret_file()
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _positive(env: dict[str, str] | os._Environ[str], name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    if not (raw.isascii() and raw.isdigit() and int(raw) > 0):
        raise ConfigError(f"{name}: {raw!r} is not a positive whole number")
    return int(raw)


def normalise_database_url(url: str) -> str:
    """Check a database URL and return it in the form Tortoise expects."""
    scheme = urlsplit(url).scheme
    if scheme not in SUPPORTED_DB_SCHEMES:
        raise ConfigError(
            f"MESSE_DATABASE_URL: unsupported database {url!r}; use sqlite://FILE or postgres://USER@HOST:PORT/DB"
        )
    if scheme == "postgresql":
        return "postgres" + url[len("postgresql") :]
    if scheme == "sqlite" and url in ("sqlite://", "sqlite:///"):
        raise ConfigError("MESSE_DATABASE_URL: a SQLite URL needs a file name, e.g. sqlite://messe.sqlite3")
    return url


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite://messe.sqlite3"
    redis_url: str | None = None
    secret_key: str = field(default="", repr=False)
    base_url: str = "http://127.0.0.1:8000"
    smtp_url: str | None = None
    mail_from: str = "Digitaliseringsmessen <noreply@digitaliseringsmessen.invalid>"
    max_body_size: int = 5 * 1024 * 1024
    # HTTP requests one process works on at once; beyond it, 503 "busy" (messe.web.admission).
    max_in_flight: int = 64

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres", "asyncpg"))

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            database_url=normalise_database_url(env.get("MESSE_DATABASE_URL") or "sqlite://messe.sqlite3"),
            redis_url=env.get("MESSE_REDIS_URL") or None,
            secret_key=env.get("MESSE_SECRET_KEY") or _load_or_create_secret(),
            base_url=(env.get("MESSE_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
            smtp_url=env.get("MESSE_SMTP_URL") or None,
            mail_from=env.get("MESSE_MAIL_FROM") or cls.mail_from,
            max_in_flight=_positive(env, "MESSE_MAX_IN_FLIGHT", cls.max_in_flight),
        )
