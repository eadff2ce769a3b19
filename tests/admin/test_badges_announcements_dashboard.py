"""Badges printed by filter in the background, announcements through the change log, and the
live dashboard's figures."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest

from messe.checkin.models import CheckIn
from messe.common.models import AuditEntry
from messe.expo.models import Exhibitor, Lead
from messe.people.models import Attendee, Bookmark
from messe.programme.models import ScheduleChange, Talk
from messe.reports.domain.dashboard import checkin_bars
from tests.admin.conftest import submit
from tests.admin.test_programme_editor import text
from tests.conftest import in_ci


def pdf_text(path) -> str:
    """The PDF's text, squeezed (names may wrap onto two lines)."""
    if shutil.which("pdftotext") is None:
        if in_ci():
            pytest.fail("pdftotext is missing: apt-get install poppler-utils")
        pytest.skip("pdftotext is missing: apt-get install poppler-utils")
    return squeezed(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


def right_to_left(name: str) -> bool:
    """Arabic and Hebrew are drawn shaped and in visual order, so pdftotext does not give them back
    as typed (tests/badges checks those names)."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in name)


def squeezed(value: str) -> str:
    """Only letters and digits: line breaks, hyphens and apostrophes vary with the layout."""
    return "".join(c for c in value if c.isalnum())


async def finished(client, url: str) -> dict:
    for _ in range(200):
        progress = (await client.get(url)).json()
        if progress["state"] != "running":
            return progress
        await asyncio.sleep(0.05)
    raise AssertionError(f"{url} did not finish")


async def test_badges_by_filter_render_in_the_background(organiser, fair, jobs, tmp_path):
    people = await Attendee.filter(event=fair, role="deltager").order_by("name")
    await Attendee.filter(id=people[0].id).update(badge_printed_at=datetime.now(UTC))
    wanted = people[1:]
    count = await organiser.get("/messe13/admin/badges", params={"role": "deltager", "unprinted": "on"})
    assert f"{len(wanted)} deltagere passer til valget." in text(count)
    started = await submit(organiser, "badges", {"role": "deltager", "unprinted": "on", "layout": "a6"})
    assert started.status_code == 303
    page_url = started.headers["location"]
    progress = await finished(organiser, page_url + ".json")
    assert progress == {"state": "done", "done": len(wanted), "total": len(wanted), "percent": 100, "error": ""}
    page = await organiser.get(page_url)
    assert f'<progress id="job-progress" max="{len(wanted)}" value="{len(wanted)}"' in page.text
    assert "Færdig: PDF med" in page.text and f'href="{page_url}.pdf"' in page.text
    pdf = await organiser.get(page_url + ".pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    (tmp_path / "badges.pdf").write_bytes(pdf.content)
    printed = pdf_text(tmp_path / "badges.pdf")
    for attendee in wanted:
        if not right_to_left(attendee.name):
            assert squeezed(attendee.name) in printed
    assert squeezed(people[0].name) not in printed
    assert await Attendee.filter(id__in=[a.id for a in wanted], badge_printed_at__isnull=True).count() == 0
    entry = await AuditEntry.filter(event=fair, action="badges.printed").first()
    assert entry.detail["count"] == len(wanted) and entry.detail["role"] == "deltager"
    assert "0 deltagere passer til valget." in text(
        await organiser.get("/messe13/admin/badges", params={"role": "taler", "unprinted": "on"}))
    listed = await organiser.get("/messe13/admin/badges")
    assert f'href="{page_url}.pdf"' in listed.text


async def test_opening_the_badge_page_starts_the_helpers_so_the_first_batch_starts_warm(organiser, fair):
    from multiprocessing import forkserver

    from messe.badges.domain import batch

    assert (await organiser.get("/messe13/admin/badges")).status_code == 200
    await asyncio.gather(*batch._preparing)
    # The fork server is up, and it has the badge code and fonts loaded (its preload).
    assert forkserver._forkserver._forkserver_pid is not None
    assert forkserver._forkserver._preload_modules == ["messe.badges.domain.warm"]
    assert (await organiser.get("/messe13/admin/badges")).status_code == 200
    assert len(batch._preparing) == 1  # once per process


async def test_reprint_one_gets_a_new_version_and_a_progress_page(organiser, fair, jobs, tmp_path):
    attendee = await Attendee.filter(event=fair).first()
    reprinted = await submit(organiser, f"attendees/{attendee.id}/reprint", {})
    assert reprinted.status_code == 303 and "/admin/badges/jobs/" in reprinted.headers["location"]
    await finished(organiser, reprinted.headers["location"] + ".json")
    page = await organiser.get(reprinted.headers["location"])
    assert f"Badge version {attendee.badge_version + 1} til" in text(page) and "Genudskrivning" in page.text
    (tmp_path / "one.pdf").write_bytes((await organiser.get(reprinted.headers["location"] + ".pdf")).content)
    assert squeezed(attendee.name) in pdf_text(tmp_path / "one.pdf")
    assert (await Attendee.get(id=attendee.id)).badge_version == attendee.badge_version + 1


async def test_badge_form_errors_and_unknown_jobs(organiser, fair, jobs):
    nobody = await submit(organiser, "badges", {"organisation": "Findes Ikke Kommune"})
    assert nobody.status_code == 422 and "Ingen deltagere passer til valget" in nobody.text
    bad_layout = await submit(organiser, "badges", {"layout": "../../etc/passwd"})
    assert bad_layout.status_code == 422 and "Vælg et af layoutene" in bad_layout.text
    for path in ("badges/jobs/0123456789abcdef", "badges/jobs/..%2F..%2Fx.json", "badges/jobs/nope.pdf"):
        assert (await organiser.get(f"/messe13/admin/{path}")).status_code == 404


async def test_announcements_to_everyone_and_to_a_talks_stars(organiser, fair):
    item = await Talk.get(event=fair, code="t-001")
    attendees = await Attendee.filter(event=fair).limit(3)
    await Bookmark.bulk_create([Bookmark(attendee=a, talk=item) for a in attendees])
    page = await organiser.get("/messe13/admin/announcements", params={"talk_id": item.id})
    assert f'<option value="{item.id}" selected>' in page.text and "(3 stjerner)" in page.text
    sent = await submit(organiser, "announcements", {"title": "Keynoten rykker", "body": "Se programmet",
                                                     "level": "urgent", "talk_id": str(item.id)})
    assert sent.status_code == 303
    change = await ScheduleChange.filter(event=fair, kind="announcement").first()
    assert change.message == {"title": "Keynoten rykker", "body": "Se programmet", "level": "urgent"}
    assert change.talk_id == item.id and change.after["id"] == item.id
    everyone = await submit(organiser, "announcements", {"title": "Frokost", "level": "info", "talk_id": ""})
    assert everyone.status_code == 303
    listed = text(await organiser.get("/messe13/admin/announcements"))
    assert "Frokost Almindelig Alle telefoner" in listed and f"Keynoten rykker Vigtig {item.title}" in listed
    empty = await submit(organiser, "announcements", {"title": "", "level": "info"})
    assert empty.status_code == 422 and "Overskrift: Skal udfyldes" in text(empty)
    draft = await Talk.get(event=fair, code="t-002")
    await Talk.filter(id=draft.id).update(published=None)
    unknown = await submit(organiser, "announcements", {"title": "x", "level": "info", "talk_id": str(draft.id)})
    assert unknown.status_code == 422 and "Foredraget findes ikke i det offentlige program" in unknown.text


def test_checkin_bars_cover_the_day_in_quarters():
    opens = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    times = [opens - timedelta(minutes=5), opens + timedelta(minutes=1), opens + timedelta(minutes=14),
             opens + timedelta(minutes=50)]
    bars = checkin_bars(times, opens, opens + timedelta(hours=1))
    assert [(b.starts_at.minute, b.count, b.running_total) for b in bars] == [
        (45, 1, 1), (0, 2, 3), (15, 0, 3), (30, 0, 3), (45, 1, 4)]
    assert len(checkin_bars([], opens, opens + timedelta(hours=8))) == 32


async def test_dashboard_figures(organiser, fair, app):
    attendees = await Attendee.filter(event=fair).order_by("id").limit(12)
    exhibitors = await Exhibitor.filter(event=fair).order_by("stand").limit(2)
    opens = fair.starts_at
    await CheckIn.bulk_create([CheckIn(event=fair, attendee=a, client_id=f"c{n}", checked_in_at=opens + timedelta(
        minutes=7 * n)) for n, a in enumerate(attendees)])
    await Lead.bulk_create([Lead(event=fair, exhibitor=exhibitors[n % 3 // 2], attendee=a, client_id=f"l{n}",
                                 scanned_at=opens) for n, a in enumerate(attendees[:6])])
    star = await Talk.get(event=fair, code="t-041")
    await Bookmark.bulk_create([Bookmark(attendee=a, talk=star) for a in attendees])
    page = await organiser.get("/messe13/admin/dashboard")
    assert page.status_code == 200
    body = text(page)
    assert "12 Tjekket ind af 40 deltagere" in body and "6 Scanninger hos udstillere hos 2 udstillere" in body
    first, second = exhibitors
    assert f"{first.stand} {first.name} 4" in body and f"{second.stand} {second.name} 2" in body
    assert f"{star.title}" in body and "12 120 10 %" in body
    assert "12 indtjekninger i alt; flest kl. 09:00–09:15 (3)" in body
    assert "09:15–09:30 2 5" in body
    assert '<svg class="bar-chart"' in page.text and page.text.count('class="bar-chart__bar"') == 30
    assert "0 Telefoner forbundet" in body
