"""The embedded SQLite setup keeps up with the fair: commits do not wait for the disk, and the
event loop hands over to the database thread quickly (bench/soak.py measures the effect)."""

from __future__ import annotations

import sys

import ciso8601
import pytest
import tortoise.fields.data
from tortoise import Tortoise

from messe.db import SQLITE_SWITCH_INTERVAL
from messe.people.models import Attendee


async def test_sqlite_runs_in_wal_mode_with_normal_sync_and_quick_handoffs(app, database_url):
    if not database_url.startswith("sqlite://"):
        pytest.skip("SQLite only")
    conn = Tortoise.get_connection("default")
    assert (await conn.execute_query_dict("PRAGMA journal_mode"))[0]["journal_mode"] == "wal"
    assert (await conn.execute_query_dict("PRAGMA synchronous"))[0]["synchronous"] == 1  # NORMAL
    assert sys.getswitchinterval() == pytest.approx(SQLITE_SWITCH_INTERVAL)


async def test_datetimes_come_back_from_the_database_parsed_by_ciso8601_and_unchanged(fair):
    """Tortoise takes ciso8601 when it is installed (messe depends on it): the same datetimes, sooner."""
    assert tortoise.fields.data.parse_datetime is ciso8601.parse_datetime
    attendee = await Attendee.filter(event=fair).first()
    stored = attendee.created_at
    again = await Attendee.get(id=attendee.id)
    assert again.created_at == stored and again.created_at.utcoffset() is not None
