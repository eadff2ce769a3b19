"""Settings read from the environment.

Secrets never live in the repository: when ``MESSE_SECRET_KEY`` is unset, a key is
generated once and kept in ``~/.config/messe/secret_key`` (or ``MESSE_SECRET_FILE``). A secret
shorter than 32 bytes is refused: it would let anyone forge sessions and badges.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import secrets
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

# Where the front end's files are: the checkout's static/, and the npm packages `npm ci` installed.
PROJECT_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = PROJECT_DIR / "static"
NODE_MODULES = PROJECT_DIR / "node_modules"


class ConfigError(Exception):
    """A setting has a value messe cannot use; the message says which and why."""


SUPPORTED_DB_SCHEMES = ("sqlite", "postgres", "postgresql", "asyncpg")


MIN_SECRET_BYTES = 32
MAKE_SECRET = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


def _secret_file() -> Path:
    default = Path.home() / ".config" / "messe" / "secret_key"
    return Path(os.environ.get("MESSE_SECRET_FILE", default))


def check_secret(key: str, source: str = "MESSE_SECRET_KEY") -> str:
    """``key``, or a one-line ConfigError if it is too short to sign sessions and badges with."""
    size = len(key.encode("utf-8"))
    if size < MIN_SECRET_BYTES:
        raise ConfigError(f"{source}: the secret key is {size} bytes, it needs at least {MIN_SECRET_BYTES}; "
                          f"make one with {MAKE_SECRET}")
    return key


def _positive(env: dict[str, str] | os._Environ[str], name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    if not (raw.isascii() and raw.isdigit() and int(raw) > 0):
        raise ConfigError(f"{name}: {raw!r} is not a positive whole number")
    return int(raw)


def _load_or_create_secret() -> str:
    """The secret kept in the secret file, made on first use: the file is created 0600 in a 0700
    folder with its whole content at once (no moment in which another user, or a second worker
    starting at the same time, sees it half-written or readable)."""
    path = _secret_file()
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
            with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
                os.link(draft, path)
        finally:
            draft.unlink(missing_ok=True)
    return check_secret(path.read_text().strip(), str(path))


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


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(text: str) -> tuple[str, ...]:
    """``MESSE_TRUSTED_PROXIES``: addresses or networks (``10.0.0.0/8``), separated by commas or spaces."""
    proxies = tuple(part for part in text.replace(",", " ").split() if part)
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ConfigError(f"MESSE_TRUSTED_PROXIES: {proxy!r} is not an IP address or network "
                              "(e.g. 127.0.0.1 or 10.0.0.0/8)") from None
    return proxies


# The browsers' push services (Chrome/Edge via FCM, Firefox, Safari, old Edge/Windows): the only
# hosts a push subscription may name, so nobody can make messe post to an address of their choice.
DEFAULT_PUSH_HOSTS = ("fcm.googleapis.com", "updates.push.services.mozilla.com", "*.push.apple.com",
                      "*.notify.windows.com")


def parse_push_hosts(text: str) -> tuple[str, ...]:
    """``MESSE_PUSH_HOSTS``: host names, ``*.domain`` for its subdomains, or ``http://`` + a loopback
    address (a push service on this machine, for tests and development; plain HTTP nowhere else)."""
    hosts = tuple(part.lower() for part in text.replace(",", " ").split() if part)
    for host in hosts:
        if host.startswith("http://"):
            try:
                loopback = ipaddress.ip_address(host.removeprefix("http://").strip("[]")).is_loopback
            except ValueError:
                loopback = False
            if not loopback:
                raise ConfigError(f"MESSE_PUSH_HOSTS: {host!r}: plain http:// only for a loopback address "
                                  "such as http://127.0.0.1")
        elif not host.removeprefix("*.") or "/" in host or ":" in host or "*" in host.removeprefix("*."):
            raise ConfigError(f"MESSE_PUSH_HOSTS: {host!r} is not a host name (e.g. fcm.googleapis.com "
                              "or *.push.apple.com)")
    return hosts or DEFAULT_PUSH_HOSTS


HOST_NAME = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*")  # nothing that could end a CSP source or directive


def parse_embed_origins(text: str) -> tuple[str, ...]:
    """``MESSE_EMBED_ORIGINS``: the sites that may show the programme in a frame (``/<event>/embed``),
    as origins (``https://intranet.odense.dk``, ``https://*.kommune.dk``), separated by commas or spaces."""
    origins = tuple(part.rstrip("/").lower() for part in text.replace(",", " ").split() if part)
    for origin in origins:
        parts = urlsplit(origin)
        host = (parts.hostname or "").removeprefix("*.")
        try:
            port_ok = parts.port is None or parts.port > 0
        except ValueError:
            port_ok = False
        if parts.scheme not in ("https", "http") or not HOST_NAME.fullmatch(host) or parts.path \
                or parts.query or parts.fragment or parts.username or not port_ok:
            raise ConfigError(f"MESSE_EMBED_ORIGINS: {origin!r} is not an origin (e.g. https://www.kommune.dk "
                              "or https://*.kommune.dk)")
    return origins


def _vapid_key(env: dict[str, str] | os._Environ[str]) -> str:
    """``MESSE_VAPID_PRIVATE_KEY`` (PEM, or the raw key in base64url), or the file
    ``MESSE_VAPID_PRIVATE_KEY_FILE`` names; empty: the key is derived from the secret key."""
    if env.get("MESSE_VAPID_PRIVATE_KEY_FILE"):
        try:
            return Path(env["MESSE_VAPID_PRIVATE_KEY_FILE"]).read_text().strip()
        except OSError as exc:
            raise ConfigError(f"MESSE_VAPID_PRIVATE_KEY_FILE: cannot read it: {exc.strerror}") from None
    return env.get("MESSE_VAPID_PRIVATE_KEY", "").strip()


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite://messe.sqlite3"
    redis_url: str | None = None
    secret_key: str = field(default="", repr=False)
    base_url: str = "http://127.0.0.1:8000"
    smtp_url: str | None = None
    mail_from: str = "Digitaliseringsmessen <noreply@digitaliseringsmessen.invalid>"
    max_body_size: int = 5 * 1024 * 1024  # HTML forms and uploads
    # Every other body is JSON for the API: the longest text it takes (a talk's 20,000-character
    # abstract) fits even when every character is escaped as a \uXXXX surrogate pair (12 bytes,
    # 240 KB); anything bigger is refused before it is read.
    max_json_body_size: int = 256 * 1024
    # The reverse proxies whose X-Forwarded-For is believed (only theirs): without any, the
    # client address is the connection's own.
    trusted_proxies: tuple[str, ...] = ()
    # HTTP requests one process works on at once; beyond it, 503 "busy" (messe.web.admission).
    max_in_flight: int = 64
    # Web Push (messe.push): the allowed push-service hosts and the VAPID key ("" = from secret_key).
    push_hosts: tuple[str, ...] = DEFAULT_PUSH_HOSTS
    vapid_private_key: str = field(default="", repr=False)
    # Live sockets one client address may hold open per process (the venue's NAT: be generous).
    websockets_per_address: int = 5000
    # The origins that may frame the embeddable programme (besides messe itself); no other page is frameable.
    embed_origins: tuple[str, ...] = ()

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres", "asyncpg"))

    @cached_property
    def trusted_networks(self) -> tuple[IPNetwork, ...]:
        return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in self.trusted_proxies)

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            database_url=normalise_database_url(env.get("MESSE_DATABASE_URL") or "sqlite://messe.sqlite3"),
            redis_url=env.get("MESSE_REDIS_URL") or None,
            secret_key=check_secret(env["MESSE_SECRET_KEY"]) if env.get("MESSE_SECRET_KEY")
            else _load_or_create_secret(),
            base_url=(env.get("MESSE_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
            smtp_url=env.get("MESSE_SMTP_URL") or None,
            mail_from=env.get("MESSE_MAIL_FROM") or cls.mail_from,
            max_in_flight=_positive(env, "MESSE_MAX_IN_FLIGHT", cls.max_in_flight),
            websockets_per_address=_positive(env, "MESSE_WS_PER_ADDRESS", cls.websockets_per_address),
            trusted_proxies=parse_trusted_proxies(env.get("MESSE_TRUSTED_PROXIES", "")),
            push_hosts=parse_push_hosts(env.get("MESSE_PUSH_HOSTS", "")),
            vapid_private_key=_vapid_key(env),
            embed_origins=parse_embed_origins(env.get("MESSE_EMBED_ORIGINS", "")),
        )
