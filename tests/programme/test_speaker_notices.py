"""Speakers are mailed when their published talk moves or is cancelled (a real SMTP server, aiosmtpd)."""

from __future__ import annotations

import email.message
from zoneinfo import ZoneInfo

from icalendar import Calendar

from messe.programme.models import Speaker, Stage, Talk
from tests.admin import test_mailing
from tests.programme.conftest import EVENT

# The real SMTP server on loopback (aiosmtpd), and the application configured to use it.
inbox = test_mailing.inbox
mail_configured = test_mailing.mail_configured

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _local(value: str) -> str:
    """An ISO time in Copenhagen on the fair's day."""
    return f"2026-11-27T{value}:00+01:00"


async def _talk(fair, stage_code: str, start: str) -> Talk:
    stage = await Stage.get(event=fair, code=stage_code)
    talks = await Talk.filter(event=fair, stage=stage).prefetch_related("speakers")
    return next(t for t in talks if t.starts_at.astimezone(COPENHAGEN).strftime("%H:%M") == start)


async def _give_address(talk: Talk, email_address: str, language: str = "") -> Speaker:
    speaker = sorted(talk.speakers, key=lambda s: s.id)[0]
    speaker.email, speaker.language = email_address, language
    await speaker.save(update_fields=["email", "language"])
    return speaker


def _calendar(message: email.message.EmailMessage) -> tuple[Calendar, str]:
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename().endswith(".ics")
    return Calendar.from_ical(attachment.get_content()), attachment.get_param("method")


async def _feed_event(api, talk_id: int):
    feed = Calendar.from_ical((await api.get(f"{EVENT}/schedule/export/schedule.ics")).content)
    return next(e for e in feed.walk("VEVENT") if str(e["url"]).endswith(f"/talks/{talk_id}"))


async def test_a_moved_talk_mails_each_speaker_with_an_address_old_and_new_time_and_place(
        app, api, fair, mail_configured):
    talk = await _talk(fair, "borgerscenen", "14:15")
    assert len(talk.speakers) == 2
    speaker = await _give_address(talk, "taler@kommune.dk")
    store_sal = await Stage.get(event=fair, code="store-sal")
    response = await api.patch(f"{EVENT}/api/talks/{talk.id}",
                               json={"starts_at": _local("12:05"), "stage_id": store_sal.id})
    assert response.status_code == 200, response.text
    await app.state.speaker_notices.drained()
    [message] = mail_configured.messages  # the other speaker has no address: nobody else is mailed
    assert message["To"].addresses[0].addr_spec == "taler@kommune.dk"
    assert message["Subject"] == f"Dit foredrag '{talk.title}' er flyttet"
    assert message["Content-Language"] == "da"
    body = message.get_body(("plain",)).get_content()
    assert f"Kære {speaker.name}" in body
    assert "Før: fredag den 27. november 2026 kl. 14:15-14:45, Borgerscenen, C" in body
    assert "Nu: fredag den 27. november 2026 kl. 12:05-12:35, Store Sal, A" in body
    calendar, method = _calendar(message)
    assert method == "REQUEST" and calendar["method"] == "REQUEST"
    [vevent] = calendar.walk("VEVENT")
    feed = await _feed_event(api, talk.id)
    public = (await api.get(f"{EVENT}/api/talks/{talk.id}", headers={"Authorization": ""})).json()
    assert vevent["uid"] == feed["uid"]
    assert vevent["sequence"] == feed["sequence"] == public["sequence"] == 1
    assert vevent.decoded("dtstart").isoformat() == "2026-11-27T11:05:00+00:00"
    assert "Store Sal" in vevent["location"] and vevent["status"] == "CONFIRMED"
    assert str(vevent["attendee"]) == "mailto:taler@kommune.dk"


async def test_a_cancellation_mails_a_cancellation_in_the_speakers_language(app, api, fair, mail_configured):
    talk = await _talk(fair, "lyntalescenen", "11:00")
    assert talk.language == "en"
    await _give_address(talk, "speaker@example.org")
    response = await api.patch(f"{EVENT}/api/talks/{talk.id}", json={"state": "cancelled"})
    assert response.status_code == 200, response.text
    await app.state.speaker_notices.drained()
    [message] = mail_configured.messages
    assert message["Subject"] == f"Your talk '{talk.title}' has been cancelled"
    assert message["Content-Language"] == "en"
    assert "It was to have been: Friday, November 27, 2026 at 11:00-11:20, Lyntalescenen, B" in (
        message.get_body(("plain",)).get_content())
    calendar, method = _calendar(message)
    assert method == "CANCEL" and calendar["method"] == "CANCEL"
    [vevent] = calendar.walk("VEVENT")
    assert vevent["status"] == "CANCELLED" and vevent["uid"] == (await _feed_event(api, talk.id))["uid"]
    assert vevent["sequence"] == 1


async def test_a_speakers_own_language_wins_over_the_talks(app, api, fair, mail_configured):
    talk = await _talk(fair, "borgerscenen", "15:25")
    await _give_address(talk, "speaker@example.org", language="en")
    response = await api.patch(f"{EVENT}/api/talks/{talk.id}", json={"starts_at": _local("15:30")})
    assert response.status_code == 200, response.text
    await app.state.speaker_notices.drained()
    [message] = mail_configured.messages
    assert message["Subject"] == f"Your talk '{talk.title}' has a new time"
    body = message.get_body(("plain",)).get_content()
    assert "Before: Friday, November 27, 2026 at 15:25-15:45, Borgerscenen, C" in body
    assert "Now: Friday, November 27, 2026 at 15:30-15:50, Borgerscenen, C" in body


async def test_draft_edits_mail_nobody_until_they_are_published(app, api, fair, mail_configured):
    talk = await _talk(fair, "borgerscenen", "15:25")
    await _give_address(talk, "taler@kommune.dk")
    new = await api.post(f"{EVENT}/api/talks", json={
        "title": "Kladde", "starts_at": _local("12:05"), "ends_at": _local("12:25"), "draft": True,
        "stage_id": talk.stage_id, "speaker_ids": [s.id for s in talk.speakers]})
    assert new.status_code == 201, new.text
    moved = await api.patch(f"{EVENT}/api/talks/{new.json()['id']}", json={"starts_at": _local("12:10")})
    assert moved.status_code == 200, moved.text  # first published now: added, not moved
    kept = await api.patch(f"{EVENT}/api/talks/{talk.id}", json={"starts_at": _local("15:35"), "draft": True})
    assert kept.status_code == 200, kept.text
    await app.state.speaker_notices.drained()
    assert mail_configured.messages == []
    released = await api.post(f"{EVENT}/api/publish", json={"version": "2"})
    assert released.status_code == 201, released.text
    await app.state.speaker_notices.drained()
    [message] = mail_configured.messages  # the draft's move, now published
    assert "Nu: fredag den 27. november 2026 kl. 15:35-15:55" in message.get_body(("plain",)).get_content()


async def test_without_a_mail_server_nothing_is_sent_and_the_move_succeeds(app, api, fair, inbox):
    talk = await _talk(fair, "borgerscenen", "15:25")
    await _give_address(talk, "taler@kommune.dk")
    assert app.state.settings.smtp_url is None
    response = await api.patch(f"{EVENT}/api/talks/{talk.id}", json={"starts_at": _local("15:30")})
    assert response.status_code == 200, response.text
    await app.state.speaker_notices.drained()
    assert inbox[0].messages == []
