"""Shared fixtures: every database test runs on SQLite and again on PostgreSQL.

PostgreSQL is at ``MESSE_TEST_POSTGRES`` (default postgres://postgres@127.0.0.1:5432); each run
creates a fresh database and drops it afterwards. Outside CI an unreachable server skips the
PostgreSQL half with a reason; under CI (``CI=true``) it fails the run instead.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from messe.app import create_app
from messe.common.recently_read import forget_everything
from messe.config import Settings
from messe.db import migrate
from messe.people.domain.token_use import token_use
from messe.web.ratelimit import RateLimiter

POSTGRES_SERVER = os.environ.get("MESSE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("MESSE_TEST_REDIS", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TEST_SECRET = "test-secret-key-not-for-production"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


FRAB = SHARED / "frab"
# The c3voc schema, XSD and example exports are third-party files read where they lie (shared/frab/).
# Outside CI their absence skips the tests that need them; under CI those tests run and fail.
needs_frab = pytest.mark.skipif(not (FRAB / "schema.json").exists() and not in_ci(),
                                reason=f"the c3voc frab schema, XSD and example exports are not at {FRAB}")


async def _postgres_reachable() -> str | None:
    import asyncpg

    try:
        conn = await asyncpg.connect(POSTGRES_SERVER.replace("postgres://", "postgresql://") + "/postgres",
                                     timeout=3)
    except (OSError, asyncpg.PostgresError) as exc:
        return str(exc)
    await conn.close()
    return None


async def _drop_postgres_database(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_SERVER.replace("postgres://", "postgresql://") + "/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
async def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A freshly migrated database: a SQLite file, or a new PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        url = f"sqlite://{tmp_path_factory.mktemp('db') / 'messe.sqlite3'}"
        await migrate(url)
        yield url
        return
    problem = await _postgres_reachable()
    if problem:
        message = f"PostgreSQL at {POSTGRES_SERVER} is not reachable: {problem}"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    name = f"messe_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    url = f"{POSTGRES_SERVER}/{name}"
    await migrate(url)
    try:
        yield url
    finally:
        await _drop_postgres_database(name)


def settings_for(database_url: str, **overrides: object) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, base_url="http://testserver",
                    **overrides)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
async def app(database_url: str):
    """The application with its lifespan running (database open, broker started)."""
    # Tortoise caches SQL per connection name, not per dialect: forget the SQLite statements
    # before the same process opens PostgreSQL under the same name.
    EXECUTOR_CACHE.clear()
    application = create_app(settings_for(database_url))
    async with application.router.lifespan_context(application):
        yield application


async def _empty_all_tables() -> None:
    conn = Tortoise.get_connection("default")
    tables = [model._meta.db_table for model in Tortoise.apps["models"].values()]
    tables += ["talk_speaker"]
    if conn.capabilities.dialect == "postgres":
        # The app's own tasks (the hub, speaker notices) may be reading from the last test; where
        # PostgreSQL breaks such a deadlock by cancelling the TRUNCATE, it is simply asked again.
        for attempt in range(5):
            try:
                await conn.execute_script(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
                break
            except asyncpg.exceptions.DeadlockDetectedError:
                if attempt == 4:
                    raise
                await asyncio.sleep(0.1)
    else:
        await conn.execute_script("PRAGMA foreign_keys = OFF;" + "".join(f"DELETE FROM {t};" for t in tables)
                                  + "PRAGMA foreign_keys = ON;")


@pytest.fixture
async def empty_db(app):
    """A database with no rows at all (and no sign-in attempts counted yet)."""
    await _empty_all_tables()
    app.state.limiter = RateLimiter()
    app.state.events.clear()
    forget_everything()
    token_use.forget()
    yield


@pytest.fixture
async def fair(empty_db):
    """The seeded Digitaliseringsmessen with 40 attendees (enough to test with, quick to load)."""
    from messe.seeding import seed

    report = await seed(attendee_limit=40)
    return report.event


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def make_token(event, role: str, exhibitor=None) -> str:
    from messe.people.domain.accounts import create_api_token

    return await create_api_token(event, role, exhibitor=exhibitor)


@pytest.fixture
async def organiser_token(fair) -> str:
    return await make_token(fair, "organiser")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
