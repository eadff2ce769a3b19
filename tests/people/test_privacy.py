"""Data protection: see, download and erase one's own data; organisers erase; purge after the fair."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from messe.common.models import AuditEntry
from messe.people.domain.accounts import issue_personal_link_token
from messe.people.domain.privacy import ERASED_NAME, purge
from messe.people.models import Attendee, Bookmark
from messe.programme.models import Talk
from tests.conftest import bearer


async def test_attendee_downloads_and_erases_own_data(client, fair):
    attendee = await Attendee.filter(event=fair).exclude(email="").first()
    talk = await Talk.filter(event=fair).first()
    await Bookmark.create(attendee=attendee, talk=talk)
    link = await issue_personal_link_token(attendee)
    await client.get(f"/messe13/link/{link}")
    page = await client.get("/messe13/me/data")
    assert page.status_code == 200 and attendee.email in page.text
    download = await client.get("/messe13/me/data.json")
    assert download.json()["attendee"]["email"] == attendee.email
    assert download.json()["starred_talks"][0]["title"] == talk.title
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    unconfirmed = await client.post("/messe13/me/erase", data={"csrf_token": csrf})
    assert unconfirmed.status_code == 422
    erased = await client.post("/messe13/me/erase", data={"csrf_token": csrf, "confirm": "yes"})
    assert erased.status_code == 303
    assert erased.headers["clear-site-data"] == '"cache", "storage"', "the phone forgets its saved pages"
    await attendee.refresh_from_db()
    assert attendee.name == ERASED_NAME and attendee.email == "" and attendee.erased_at is not None
    assert not await Bookmark.filter(attendee=attendee).exists()
    assert (await client.get(f"/messe13/link/{link}")).status_code == 404
    assert (await client.get("/messe13/me/data")).status_code == 401


async def test_organiser_erases_attendee(client, fair, organiser_token):
    attendee = await Attendee.filter(event=fair).first()
    old_version = attendee.badge_version
    response = await client.post(f"/messe13/api/attendees/{attendee.id}/erase", headers=bearer(organiser_token))
    assert response.status_code == 204
    await attendee.refresh_from_db()
    assert attendee.name == ERASED_NAME and attendee.badge_version == old_version + 1
    assert await AuditEntry.filter(action="attendee.erased", object_id=str(attendee.id)).exists()
    again = await client.post(f"/messe13/api/attendees/{attendee.id}/erase", headers=bearer(organiser_token))
    assert again.status_code == 404


async def test_purge_only_after_the_fair_and_records_what_it_removed(fair):
    assert await purge(fair, after_days=30) == 0
    fair.ends_at = datetime.now(UTC) - timedelta(days=31)
    await fair.save()
    assert await purge(fair, after_days=30) == 40
    assert await Attendee.filter(event=fair).exclude(name=ERASED_NAME).count() == 0
    entry = await AuditEntry.get(action="event.purged")
    assert entry.detail["attendees_erased"] == 40 and "email" in entry.detail["removed"]
