"""Rows the admin browser tests need in the live server's database: stars, check-ins, scans and
a personal sign-in link. Written by a subprocess (``python -m tests.admin.live_data URL SPEC``), as
tests.support.live_server prepares the database, so the test process's Tortoise state is untouched.

SPEC is JSON: ``{"stars": {"t-021": [0, 1, 2]}, "checkins": 30, "scans": 12, "link_for": 3}``, where
numbers are attendees in id order. The answer is ``{"talks": {code: id}, "link": token or null}``.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import timedelta
from typing import Any

from tests.support.live_server import ROOT, LiveServer


def add_live_data(server: LiveServer, spec: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "tests.admin.live_data", server.database_url, json.dumps(spec)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"adding live data failed:\n{done.stderr}")
    return json.loads(done.stdout)


async def _add(database_url: str, spec: dict[str, Any]) -> dict[str, Any]:
    from tortoise import Tortoise

    from messe.checkin.models import CheckIn
    from messe.common.models import Event
    from messe.db import tortoise_config
    from messe.expo.models import Exhibitor, Lead
    from messe.people.domain.accounts import issue_personal_link_token
    from messe.people.models import Attendee, Bookmark
    from messe.programme.models import Talk

    await Tortoise.init(config=tortoise_config(database_url))
    try:
        event = await Event.get(slug="messe13")
        attendees = await Attendee.filter(event=event).order_by("id")
        talks = dict(await Talk.filter(event=event).values_list("code", "id"))
        await Bookmark.bulk_create([Bookmark(attendee=attendees[n], talk_id=talks[code])
                                    for code, numbers in spec.get("stars", {}).items() for n in numbers],
                                   ignore_conflicts=True)
        stamp = event.starts_at.timestamp()
        await CheckIn.bulk_create([
            CheckIn(event=event, attendee=attendees[n], client_id=f"admin-test-{stamp}-{n}",
                    checked_in_at=event.starts_at + timedelta(minutes=3 * n - 20))
            for n in range(spec.get("checkins", 0))], ignore_conflicts=True)
        exhibitors = await Exhibitor.filter(event=event).order_by("stand").limit(3)
        await Lead.bulk_create([
            Lead(event=event, exhibitor=exhibitors[n % len(exhibitors)], attendee=attendees[n],
                 client_id=f"admin-test-lead-{n}", scanned_at=event.starts_at)
            for n in range(spec.get("scans", 0))], ignore_conflicts=True)
        link = None
        if spec.get("link_for") is not None:
            link = await issue_personal_link_token(attendees[spec["link_for"]])
        return {"talks": talks, "link": link}
    finally:
        await Tortoise.close_connections()


def main() -> None:
    result = asyncio.run(_add(sys.argv[1], json.loads(sys.argv[2])))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
